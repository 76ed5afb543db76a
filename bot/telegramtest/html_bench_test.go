package telegramtest

import "testing"

func BenchmarkParseHTML(b *testing.B) {
	const screen = `<b>Instagram Followers</b> &amp; Likes
Service <code>1042</code>: Followers [Max 10K] &lt;30 days refill&gt;
Rate: <b>0.90</b> per 1000 · min 50 · max 10000
<i>Send the link to your profile.</i> <a href="https://example.com/?a=1&b=2">help</a>`
	b.SetBytes(int64(len(screen)))
	for b.Loop() {
		if _, _, err := parseHTML(screen); err != nil {
			b.Fatal(err)
		}
	}
}
