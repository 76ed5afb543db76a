package telegramtest

import (
	"context"
	"fmt"
	"net/http"
	"path"
	"strconv"
	"strings"

	"github.com/go-telegram/bot/models"
)

// maxDownload is getFile's limit: bots download files of up to 20 MB.
const maxDownload = 20 << 20

// Document is a file a user sends.
type Document struct {
	Name    string // file_name, e.g. "orders.txt"
	MIME    string // mime_type, e.g. "text/plain"
	Data    []byte
	Caption string
}

// storedFile is a file users sent; path is set once getFile gave it.
type storedFile struct {
	id, unique string
	dir, name  string // file_path's folder ("documents", "photos"), the file's name
	path       string
	data       []byte
}

// keepFileLocked stores a file users sent. Caller holds s.mu.
func (s *Server) keepFileLocked(f *storedFile) {
	s.stored[f.id] = f
}

// keepFile is keepFileLocked taking the lock.
func (s *Server) keepFile(f *storedFile) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.keepFileLocked(f)
}

// SendDocument is from's document in their private chat: the bot gets a
// message with document (file_id, file_name, mime_type, file_size) and
// may fetch the bytes with getFile and GET <server>/file/bot<token>/<file_path>;
// files over 20 MB get getFile's 400 "file is too big". It returns the
// message id.
func (s *Server) SendDocument(from User, doc Document) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.ensureChatLocked(from.privateChat())
	s.blockLocked(c, false)
	return s.postLocked(c, from.model(), s.documentLocked(doc)).m.ID
}

// SendDocumentIn is SendDocument in a group or supergroup; it returns
// SendIn's errors.
func (s *Server) SendDocumentIn(chatID int64, from User, doc Document) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, err := s.groupLocked(chatID, from)
	if err == nil && c.info.Type == models.ChatTypeChannel {
		err = ErrNotGroup
	}
	if err != nil {
		return 0, fmt.Errorf("send document in chat %d: %w", chatID, err)
	}
	return s.postLocked(c, from.model(), s.documentLocked(doc)).m.ID, nil
}

// documentLocked stores doc's bytes and is its message. Caller holds s.mu.
func (s *Server) documentLocked(doc Document) models.Message {
	s.files++
	n := strconv.Itoa(s.files)
	f := &storedFile{id: "BQACAgIAAxkBAAE" + n, unique: "AgAD" + n, dir: "documents", name: doc.Name, data: append([]byte(nil), doc.Data...)}
	s.keepFileLocked(f)
	return models.Message{
		Document: &models.Document{
			FileID: f.id, FileUniqueID: f.unique, FileName: doc.Name,
			MimeType: doc.MIME, FileSize: int64(len(f.data)),
		},
		Caption: doc.Caption, CaptionEntities: withCommands(doc.Caption, nil),
	}
}

// getFile gives a file's file_path for download.
func (s *Server) getFile(_ context.Context, p params) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f := s.stored[p["file_id"]]
	switch {
	case f == nil:
		return nil, badRequest(descFileID)
	case len(f.data) > maxDownload:
		return nil, badRequest(descFileTooBig)
	}
	if f.path == "" {
		f.path = fmt.Sprintf("%s/file_%d%s", f.dir, len(s.paths), path.Ext(f.name))
		s.paths[f.path] = f
	}
	return models.File{FileID: f.id, FileUniqueID: f.unique, FileSize: int64(len(f.data)), FilePath: f.path}, nil
}

// serveFile answers GET /file/bot<token>/<file_path>: the bytes, 401 for
// another token, 404 for a path getFile did not give.
func (s *Server) serveFile(w http.ResponseWriter, r *http.Request, rest string) {
	token, filePath, _ := strings.Cut(rest, "/")
	s.count("file")
	s.mu.Lock()
	f := s.paths[filePath]
	s.mu.Unlock()
	switch {
	case token != s.token:
		s.respond(w, "file", nil, errUnauthorized)
		return
	case f == nil || (r.Method != http.MethodGet && r.Method != http.MethodHead):
		s.respond(w, "file", nil, errNotFound)
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Length", strconv.Itoa(len(f.data)))
	if r.Method == http.MethodGet {
		_, _ = w.Write(f.data)
	}
}
