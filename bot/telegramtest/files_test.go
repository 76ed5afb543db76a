package telegramtest_test

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/go-telegram/bot"

	"github.com/smmbot/smmbot/bot/telegramtest"
)

func TestDocuments(t *testing.T) {
	s, url := newServer(t, telegramtest.Options{})
	b := newBot(t, url)
	p := &poller{url: url}
	data := []byte("5|https://x.com/a|1000\n")
	s.SendDocument(alice, telegramtest.Document{Name: "orders.txt", MIME: "text/plain", Data: data, Caption: "/mass"})
	got := p.next(t)
	if len(got) != 1 || got[0].Message == nil || got[0].Message.Document == nil {
		t.Fatalf("updates %+v, want a document", got)
	}
	doc := got[0].Message.Document
	if doc.FileName != "orders.txt" || doc.MimeType != "text/plain" || doc.FileSize != int64(len(data)) || got[0].Message.Caption != "/mass" {
		t.Errorf("document = %+v, caption %q", doc, got[0].Message.Caption)
	}
	f, err := b.GetFile(t.Context(), &bot.GetFileParams{FileID: doc.FileID})
	if err != nil {
		t.Fatal(err)
	}
	link := b.FileDownloadLink(f)
	if !strings.HasPrefix(link, url+"/file/bot"+testToken+"/") || !strings.HasSuffix(f.FilePath, ".txt") {
		t.Errorf("download link %q (file_path %q)", link, f.FilePath)
	}
	tests := []struct {
		name       string
		url        string
		wantStatus int
		wantBody   []byte
	}{
		{"the file", link, http.StatusOK, data},
		{"unknown path", url + "/file/bot" + testToken + "/documents/file_999.txt", http.StatusNotFound, nil},
		{"wrong token", url + "/file/bot1:wrong/" + f.FilePath, http.StatusUnauthorized, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := http.Get(tt.url)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			body, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tt.wantStatus || (tt.wantBody != nil && !bytes.Equal(body, tt.wantBody)) {
				t.Errorf("GET: %d %q, want %d %q", resp.StatusCode, body, tt.wantStatus, tt.wantBody)
			}
		})
	}
	var refused []string
	for _, r := range s.Rejected() {
		refused = append(refused, r.Method)
	}
	if want := "file file"; strings.Join(refused, " ") != want {
		t.Errorf("rejected %v, want %s", refused, want)
	}
}

func TestGetFileRefusals(t *testing.T) {
	s, url := newServer(t, telegramtest.Options{})
	b := newBot(t, url)
	big := s.SendDocument(alice, telegramtest.Document{Name: "big.csv", MIME: "text/csv", Data: make([]byte, 20<<20+1)})
	got := (&poller{url: url}).next(t)
	msgs := s.Messages(alice.ID)
	if m := msgs[len(msgs)-1]; m.ID != big || m.Media != "document" || m.FileName != "big.csv" {
		t.Errorf("transcript's last = %+v", m)
	}
	for _, tt := range []struct{ name, id, want string }{
		{"over 20 MB", got[0].Message.Document.FileID, "Bad Request: file is too big"},
		{"unknown file_id", "nope", "Bad Request: invalid file_id"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := b.GetFile(t.Context(), &bot.GetFileParams{FileID: tt.id})
			if !errors.Is(err, bot.ErrorBadRequest) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("getFile: %v, want %q", err, tt.want)
			}
		})
	}
	if got := len(s.Rejected()); got != 2 {
		t.Errorf("%d rejections, want 2", got)
	}
}

func TestPhotoAndStickerFiles(t *testing.T) {
	s, url := newServer(t, telegramtest.Options{})
	b := newBot(t, url)
	s.SendPhoto(alice, "screenshot")
	s.SendSticker(alice)
	got := (&poller{url: url}).next(t)
	if len(got) != 2 {
		t.Fatalf("%d updates, want 2", len(got))
	}
	photo := got[0].Message.Photo[1]
	tests := []struct {
		name, id, dir string
		size          int64
	}{
		{"photo", photo.FileID, "photos/", int64(photo.FileSize)},
		{"sticker", got[1].Message.Sticker.FileID, "stickers/", int64(got[1].Message.Sticker.FileSize)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := b.GetFile(t.Context(), &bot.GetFileParams{FileID: tt.id})
			if err != nil || !strings.HasPrefix(f.FilePath, tt.dir) || f.FileSize != tt.size {
				t.Fatalf("getFile = %+v, %v", f, err)
			}
			resp, err := http.Get(b.FileDownloadLink(f))
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			if n, _ := io.Copy(io.Discard, resp.Body); n != tt.size {
				t.Errorf("downloaded %d bytes, want %d", n, tt.size)
			}
		})
	}
}
