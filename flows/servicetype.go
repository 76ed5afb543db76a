package flows

import (
	"strings"

	"github.com/smmbot/smmbot/smm"
)

// ServiceType is one row of the table of service types: what a type asks
// for, in order, and how it is charged. The conversation's steps, its
// state machine, the add request, the summary and the price all come from
// it, so a new type is one row here plus its locale strings.
type ServiceType struct {
	Name   string  // as panels spell it (compared without case)
	Fields []Field // asked in this order; trailing optional fields are offered on the summary
	Price  Pricing
	// Dripfeed says a service of this type that has dripfeed may be
	// delivered in runs (offered on the summary).
	Dripfeed bool
}

// The table of service types: every type of panel/API.md.
var serviceTypes = []ServiceType{
	{Name: "Default", Fields: []Field{fLink, fQuantity}, Price: PerThousand, Dripfeed: true},
	{Name: "Package", Fields: []Field{fLink}, Price: PerPackage},
	{Name: "Custom Comments", Fields: []Field{fLink, fComments.counting()}, Price: PerThousand},
	{Name: "Custom Comments Package", Fields: []Field{fLink, fComments}, Price: PerPackage},
	{Name: "Mentions", Fields: []Field{fLink, fQuantity, fUsernames}, Price: PerThousand},
	{Name: "Mentions with Hashtags", Fields: []Field{fLink, fQuantity, fUsernames, fHashtags}, Price: PerThousand},
	{Name: "Mentions Custom List", Fields: []Field{fLink, fUsernames.counting()}, Price: PerThousand},
	{Name: "Mentions Hashtag", Fields: []Field{fLink, fQuantity, fHashtag}, Price: PerThousand},
	{Name: "Mentions User Followers", Fields: []Field{fLink, fQuantity, fUsername}, Price: PerThousand},
	{Name: "Mentions Media Likers", Fields: []Field{fLink, fQuantity, fMedia}, Price: PerThousand},
	{Name: "Comment Likes", Fields: []Field{fLink, fQuantity, fUsername}, Price: PerThousand},
	{Name: "Comment Replies", Fields: []Field{fLink, fUsername, fComments.counting()}, Price: PerThousand},
	{Name: "Poll", Fields: []Field{fLink, fQuantity, fAnswer}, Price: PerThousand},
	{Name: "Invites from Groups", Fields: []Field{fLink, fQuantity, fGroups}, Price: PerThousand},
	{Name: "SEO", Fields: []Field{fLink, fQuantity, fKeywords}, Price: PerThousand},
	{Name: "Subscriptions", Fields: []Field{fUsername, fMin, fMax, fPosts, fDelay, fExpiry}, Price: PerPost},
}

// typeIndex finds a row by its name in lower case.
var typeIndex = func() map[string]*ServiceType {
	m := make(map[string]*ServiceType, len(serviceTypes))
	for i := range serviceTypes {
		m[strings.ToLower(serviceTypes[i].Name)] = &serviceTypes[i]
	}
	return m
}()

// TypeOf is the row of the service's type; false for a type the bot does
// not know (panels invent their own), which is not orderable. A service
// without a type is Default, as panels mean it.
func TypeOf(svc smm.Service) (*ServiceType, bool) {
	name := strings.ToLower(strings.Join(strings.Fields(svc.Type), " "))
	if name == "" {
		name = "default"
	}
	t, ok := typeIndex[name]
	return t, ok
}

// Orderable reports whether the bot can order the service: its type is
// one of the table's and its rate is known (a service without a usable
// rate is never priced at 0).
func Orderable(svc smm.Service) bool {
	_, ok := TypeOf(svc)
	return ok && svc.Orderable() // a type we know, and a rate the panel gave
}

// ServiceTypes lists the table's rows, in the table's order.
func ServiceTypes() []ServiceType { return serviceTypes }

// field is the type's field called name.
func (t *ServiceType) field(name string) (Field, bool) {
	for _, f := range t.Fields {
		if f.Name == name {
			return f, true
		}
	}
	return Field{}, false
}

// asked is how many fields are asked in turn: up to the last required
// one. The optional fields after it are offered on the summary.
func (t *ServiceType) asked() int {
	n := 0
	for i, f := range t.Fields {
		if !f.Optional {
			n = i + 1
		}
	}
	return n
}

// extras are the fields the summary offers: the optional ones after the
// last required field.
func (t *ServiceType) extras() []Field { return t.Fields[t.asked():] }

// countsLines reports whether the quantity is the line count of a list.
func (t *ServiceType) countsLines() bool {
	for _, f := range t.Fields {
		if f.counts {
			return true
		}
	}
	return false
}

// hasQuantity reports whether the order has a quantity (typed or counted).
func (t *ServiceType) hasQuantity() bool {
	_, typed := t.field(fieldQuantity)
	return typed || t.countsLines()
}

// dripfeed reports whether the service may be delivered in runs.
func (t *ServiceType) dripfeed(svc smm.Service) bool {
	_, typed := t.field(fieldQuantity)
	return t.Dripfeed && svc.Dripfeed && typed
}
