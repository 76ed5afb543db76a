package bot

import "testing"

// TestRecentStaysBounded: the memory of recent chats never holds more than
// its bound, and keeps what was put last.
func TestRecentStaysBounded(t *testing.T) {
	r := newRecent[int64, int](100)
	for i := range int64(10_000) {
		r.put(i, int(i))
		if n := r.len(); n > 100 {
			t.Fatalf("after %d puts the memory holds %d, want at most 100", i+1, n)
		}
	}
	if v, ok := r.get(9_999); !ok || v != 9_999 {
		t.Errorf("the last put: %d, %v", v, ok)
	}
	if _, ok := r.get(1); ok {
		t.Error("an old entry is still remembered")
	}
	r.drop(9_999)
	if _, ok := r.get(9_999); ok {
		t.Error("a dropped entry is still remembered")
	}
}
