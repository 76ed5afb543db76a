package smm_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/smmbot/smmbot/smm"
)

// testKey is the API key of every test: distinctive, so that a test can
// tell it never shows in an error.
const testKey = "K3Y-5ecret-0f-the-tests-9a8b7c6d5e4f"

// noKey fails the test if err's text carries the API key.
func noKey(tb testing.TB, err error) {
	tb.Helper()
	if err != nil && strings.Contains(err.Error(), testKey) {
		tb.Errorf("error carries the API key: %v", err)
	}
}

// noKeyIn checks every error of a batch result.
func noKeyIn[R any](tb testing.TB, m map[int64]R, errOf func(R) error) {
	tb.Helper()
	for _, r := range m {
		noKey(tb, errOf(r))
	}
}

// fakePanel is a scripted panel: each request gets the next reply of the
// script (the last one repeats), and the requests are recorded.
type fakePanel struct {
	mu       sync.Mutex
	replies  []fakeReply
	answer   func(url.Values) fakeReply // when set, instead of replies
	requests []url.Values
	headers  []http.Header
	methods  []string
}

type fakeReply struct {
	status int
	body   string
	header http.Header
	delay  time.Duration // waits this long, or until the request ends
}

func (f *fakePanel) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	f.mu.Lock()
	f.requests = append(f.requests, r.PostForm)
	f.headers = append(f.headers, r.Header.Clone())
	f.methods = append(f.methods, r.Method)
	var rep fakeReply
	if f.answer != nil {
		rep = f.answer(r.PostForm)
	} else {
		rep = f.replies[min(len(f.requests), len(f.replies))-1]
	}
	f.mu.Unlock()
	if rep.delay > 0 {
		select {
		case <-time.After(rep.delay):
		case <-r.Context().Done():
			return
		}
	}
	for k, v := range rep.header {
		w.Header()[k] = v
	}
	w.WriteHeader(rep.status)
	_, _ = w.Write([]byte(rep.body))
}

// calls returns the requests the panel got.
func (f *fakePanel) calls() []url.Values {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]url.Values(nil), f.requests...)
}

// serve starts a scripted panel answering with replies and returns a
// client of it with a short backoff and timeout.
func serve(tb testing.TB, replies ...fakeReply) (*smm.Client, *fakePanel) {
	tb.Helper()
	return serveOpts(tb, smm.Options{}, replies...)
}

func serveOpts(tb testing.TB, opts smm.Options, replies ...fakeReply) (*smm.Client, *fakePanel) {
	tb.Helper()
	if len(replies) == 0 {
		tb.Fatal("serve: no replies")
	}
	return start(tb, opts, &fakePanel{replies: replies})
}

// serveFunc starts a panel that answers each request with answer(form).
func serveFunc(tb testing.TB, answer func(url.Values) fakeReply) (*smm.Client, *fakePanel) {
	tb.Helper()
	return start(tb, smm.Options{}, &fakePanel{answer: answer})
}

func start(tb testing.TB, opts smm.Options, f *fakePanel) (*smm.Client, *fakePanel) {
	tb.Helper()
	srv := httptest.NewServer(f)
	tb.Cleanup(srv.Close)
	if opts.Backoff == 0 {
		opts.Backoff = time.Millisecond
	}
	if opts.Timeout == 0 {
		opts.Timeout = 5 * time.Second
	}
	return smm.NewClient(srv.URL, opts), f
}

// ok is a 200 reply with a JSON body.
func ok(body string) fakeReply { return fakeReply{status: http.StatusOK, body: body} }

// file is a 200 reply with a file of testdata.
func file(tb testing.TB, name string) fakeReply {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		tb.Fatal(err)
	}
	return ok(string(b))
}

// wantAs fails unless err is, or wraps, a *T; it returns it.
func wantAs[T error](tb testing.TB, err error) T {
	tb.Helper()
	var target T
	if !errors.As(err, &target) {
		tb.Fatalf("error %v (%T): want a %T in its chain", err, err, target)
	}
	return target
}
