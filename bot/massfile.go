package bot

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"path"
	"strings"
	"time"
	"unicode/utf8"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/smmbot/smmbot/flows"
)

// maxMassFile bounds a mass order file: 500 lines of a long link each.
const maxMassFile = 512 << 10

// massFile is the text of a .txt or .csv document sent for a mass order,
// or the problem to tell the user.
func (b *Bot) massFile(ctx context.Context, d *models.Document) (string, flows.Msg) {
	tooBig := flows.M("mass.err_file", "Max", maxMassFile>>10)
	ext := strings.ToLower(path.Ext(d.FileName))
	if (ext != ".txt" && ext != ".csv" && !strings.HasPrefix(d.MimeType, "text/")) || d.FileSize > maxMassFile {
		return "", tooBig
	}
	body, err := b.download(ctx, d.FileID)
	if err != nil {
		b.log.Info("mass order file not read", "err", err)
		return "", flows.M("mass.err_download")
	}
	if len(body) > maxMassFile || !utf8.Valid(body) {
		return "", tooBig
	}
	return string(body), flows.Msg{}
}

// download fetches a file users sent (getFile, then the file's URL), at
// most maxMassFile+1 bytes of it. Errors never carry the token the URL
// holds.
func (b *Bot) download(ctx context.Context, fileID string) ([]byte, error) {
	f, err := b.api.GetFile(ctx, &tg.GetFileParams{FileID: fileID})
	if err != nil {
		return nil, fmt.Errorf("get file: %w", maskToken(err, b.cfg.Token))
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, b.api.FileDownloadLink(f), nil)
	if err != nil {
		return nil, fmt.Errorf("download file: %w", maskToken(err, b.cfg.Token))
	}
	hc := b.cfg.HTTPClient
	if hc == nil {
		hc = &http.Client{Timeout: 30 * time.Second}
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, fmt.Errorf("download file: %w", maskToken(err, b.cfg.Token))
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("download file: HTTP %d", resp.StatusCode)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxMassFile+1))
	if err != nil {
		return nil, fmt.Errorf("download file: %w", maskToken(err, b.cfg.Token))
	}
	return body, nil
}
