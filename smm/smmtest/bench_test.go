package smmtest_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/smmbot/smmbot/smm/smmtest"
)

// serveBench runs one form request through the handler, without a network.
func serveBench(b *testing.B, p *smmtest.Panel, form url.Values) {
	b.Helper()
	body := form.Encode()
	b.ReportAllocs()
	for b.Loop() {
		req := httptest.NewRequest(http.MethodPost, "/api/v2", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		rec := httptest.NewRecorder()
		p.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("got HTTP %d %q", rec.Code, rec.Body)
		}
	}
}

func BenchmarkServices5000(b *testing.B) {
	p := smmtest.New(smmtest.Options{Services: smmtest.GenerateCatalogue(5000, 1)})
	p.AddKey(keyA, decimal.NewFromInt(100))
	serveBench(b, p, url.Values{"key": {keyA}, "action": {"services"}})
}

func BenchmarkStatus100(b *testing.B) {
	p := smmtest.New(smmtest.Options{})
	p.AddKey(keyA, decimal.NewFromInt(1000))
	for range 100 {
		req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(url.Values{
			"key": {keyA}, "action": {"add"}, "service": {"1"}, "link": {"x"}, "quantity": {"100"}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		p.ServeHTTP(httptest.NewRecorder(), req)
	}
	serveBench(b, p, url.Values{"key": {keyA}, "action": {"status"}, "orders": {ids(23501, 100)}})
}

func BenchmarkAdd(b *testing.B) {
	p := smmtest.New(smmtest.Options{})
	p.AddKey(keyA, decimal.NewFromInt(1_000_000_000))
	serveBench(b, p, url.Values{"key": {keyA}, "action": {"add"}, "service": {"1"}, "link": {"x"}, "quantity": {"100"}})
}

func BenchmarkGenerateCatalogue5000(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		smmtest.GenerateCatalogue(5000, 1)
	}
}
