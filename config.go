package main

import (
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Config is the whole configuration, read from the environment. The
// struct tags are envconfig's: `-h` prints them with envconfig.Usagef, and
// loadConfig reads them from the getenv that run is given.
type Config struct {
	TelegramToken  string        `envconfig:"TELEGRAM_TOKEN" desc:"bot token from @BotFather (required, except -demo)"`
	TelegramAPIURL string        `envconfig:"TELEGRAM_API_URL" default:"https://api.telegram.org" desc:"Bot API server (a local Bot API server, or a fake)"`
	PanelURL       string        `envconfig:"PANEL_URL" default:"https://smmgulf.com/api/v2" desc:"panel API v2 endpoint; emulator = an in-process panel emulator with a demo balance (try the bot before paying)"`
	PanelKey       string        `envconfig:"PANEL_KEY" desc:"operator key: every allowed user orders with it; unset = each user connects their own with /key"`
	AllowedUsers   []int64       `envconfig:"ALLOWED_USERS" desc:"comma-separated Telegram user ids allowed (required with PANEL_KEY)"`
	DBPath         string        `envconfig:"DB_PATH" default:"smmbot.db" desc:"bbolt database file"`
	EncryptionKey  string        `envconfig:"ENCRYPTION_KEY" desc:"32-byte key (64 hex or base64) encrypting stored API keys; unset = a random key in DB_PATH.key"`
	PollInterval   time.Duration `envconfig:"POLL_INTERVAL" default:"1m" desc:"order status poll period"`
	SessionTTL     time.Duration `envconfig:"SESSION_TTL" default:"24h" desc:"idle time after which a conversation is forgotten"`
	PanelTimeout   time.Duration `envconfig:"PANEL_TIMEOUT" default:"30s" desc:"timeout of one panel request"`
	PanelUserAgent string        `envconfig:"PANEL_USER_AGENT" desc:"User-Agent sent to the panel; unset = a browser-like one"`
	PanelInFlight  int           `envconfig:"PANEL_IN_FLIGHT" default:"3" desc:"status requests one key has in flight at once, 2 to 4"`
	PanelPerMinute int           `envconfig:"PANEL_PER_MINUTE" default:"120" desc:"status requests a minute one key may make when its panel takes one order a request, or after a 429"`
	LogLevel       string        `envconfig:"LOG_LEVEL" default:"info" desc:"debug, info, warn or error"`
	ListenAddr     string        `envconfig:"LISTEN_ADDR" desc:"public host:port: the webhook's path and /healthz only; unset = none"`
	WebhookURL     string        `envconfig:"WEBHOOK_URL" desc:"public https URL Telegram posts updates to (webhook mode, needs LISTEN_ADDR); unset = long polling"`
	WebhookSecret  string        `envconfig:"WEBHOOK_SECRET" desc:"the webhook's secret token (A-Z a-z 0-9 _ -, up to 256); unset = random at each start"`
	AdminAddr      string        `envconfig:"ADMIN_ADDR" desc:"operators' host:port: /metrics, /backup (the whole database) and /healthz; keep it on loopback or a private network, such as 127.0.0.1:9090; unset = none"`
}

// loadConfig reads every variable of Config through getenv, with the
// defaults of the struct tags, and validates it. The error lists every
// variable that is wrong, one a line, each as "NAME: what is expected";
// the Config holds what could be read.
func loadConfig(getenv func(string) string) (Config, error) {
	var c Config
	var errs []error
	bad := map[string]bool{}
	v := reflect.ValueOf(&c).Elem()
	for i := range v.NumField() {
		f := v.Type().Field(i)
		name := f.Tag.Get("envconfig")
		raw := strings.TrimSpace(getenv(name))
		if raw == "" {
			raw = f.Tag.Get("default")
		}
		if raw == "" {
			continue
		}
		if err := setField(v.Field(i), raw); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", name, err))
			bad[name] = true
		}
	}
	for _, err := range c.validate() {
		if name, _, _ := strings.Cut(err.Error(), ":"); !bad[name] {
			errs = append(errs, err)
			bad[name] = true
		}
	}
	return c, errors.Join(errs...)
}

func setField(f reflect.Value, raw string) error {
	switch f.Interface().(type) {
	case string:
		f.SetString(raw)
	case time.Duration:
		d, err := time.ParseDuration(raw)
		if err != nil || d <= 0 {
			return fmt.Errorf("want a positive duration such as 30s, 1m or 2h, got %q", raw)
		}
		f.SetInt(int64(d))
	case int:
		n, err := strconv.Atoi(raw)
		if err != nil || n <= 0 {
			return fmt.Errorf("want a positive whole number, got %q", raw)
		}
		f.SetInt(int64(n))
	case []int64:
		var ids []int64
		for _, part := range strings.Split(raw, ",") {
			id, err := strconv.ParseInt(strings.TrimSpace(part), 10, 64)
			if err != nil || id <= 0 {
				return fmt.Errorf("want comma-separated Telegram user ids such as 12345,67890, got %q", part)
			}
			ids = append(ids, id)
		}
		f.Set(reflect.ValueOf(ids))
	default:
		return fmt.Errorf("unsupported type %s", f.Type())
	}
	return nil
}

// validate checks the values together; each error starts with the
// variable's name.
func (c Config) validate() []error {
	var errs []error
	add := func(err error) {
		if err != nil {
			errs = append(errs, err)
		}
	}
	add(c.checkToken())
	add(c.checkPanel())
	if err := checkURL(c.TelegramAPIURL); err != nil {
		add(fmt.Errorf("TELEGRAM_API_URL: %w", err))
	}
	if c.EncryptionKey != "" {
		if _, err := c.encryptionKey(); err != nil {
			add(fmt.Errorf("ENCRYPTION_KEY: %w", err))
		}
	}
	if _, err := c.level(); err != nil {
		add(fmt.Errorf("LOG_LEVEL: %w", err))
	}
	errs = append(errs, c.validateHTTP()...)
	if c.PanelInFlight != 0 && (c.PanelInFlight < 2 || c.PanelInFlight > 4) {
		add(fmt.Errorf("PANEL_IN_FLIGHT: want 2, 3 or 4, got %d", c.PanelInFlight))
	}
	if c.PollInterval != 0 && c.PollInterval < time.Second {
		add(fmt.Errorf("POLL_INTERVAL: want at least 1s, got %s", c.PollInterval))
	}
	return errs
}

// botToken is the shape of a bot token: the bot's id, a colon, a secret.
var botToken = regexp.MustCompile(`^[0-9]+:[A-Za-z0-9_-]+$`)

// checkToken refuses a token that cannot be one, without repeating it
// (it may be a real token pasted with a typo).
func (c Config) checkToken() error {
	if c.TelegramToken != "" && !botToken.MatchString(c.TelegramToken) {
		return errors.New("TELEGRAM_TOKEN: does not look like 123456:ABC... (copy the whole token @BotFather gave you)")
	}
	return nil
}

// errTokenRequired is the error of a start without a token.
var errTokenRequired = errors.New("TELEGRAM_TOKEN: required: the token @BotFather gave you. " +
	"No token yet? smmbot -demo tries the bot in this terminal; with a token, smmbot -emulator runs it on a panel emulator, without a panel account")

// checkPanel checks PANEL_URL and the operator mode's allowlist.
func (c Config) checkPanel() error {
	if c.PanelURL == panelEmulator { // the in-process panel emulator, see useEmulator
		if len(c.AllowedUsers) == 0 {
			return fmt.Errorf("ALLOWED_USERS: required with PANEL_URL=emulator (the bot orders on the emulator's key, operator mode): put your Telegram user id there")
		}
		return nil
	}
	if err := checkURL(c.PanelURL); err != nil {
		return fmt.Errorf("PANEL_URL: %w", err)
	}
	if c.PanelKey != "" && len(c.AllowedUsers) == 0 {
		return fmt.Errorf("ALLOWED_USERS: required when PANEL_KEY is set (operator mode): without it anyone who finds the bot could spend the balance")
	}
	return nil
}

func checkURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("want an http(s) URL, got %q", raw)
	}
	return nil
}

// encryptionKey decodes ENCRYPTION_KEY: 64 hex digits or base64 of 32 bytes.
func (c Config) encryptionKey() ([]byte, error) {
	if c.EncryptionKey == "" {
		return nil, nil
	}
	if b, err := hex.DecodeString(c.EncryptionKey); err == nil && len(b) == 32 {
		return b, nil
	}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(c.EncryptionKey); err == nil && len(b) == 32 {
			return b, nil
		}
	}
	return nil, fmt.Errorf("want 32 bytes as 64 hex digits or base64 (openssl rand -hex 32)")
}

func (c Config) level() (slog.Level, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(c.LogLevel)); err != nil {
		return 0, fmt.Errorf("want debug, info, warn or error, got %q", c.LogLevel)
	}
	return l, nil
}

// validateHTTP checks LISTEN_ADDR, ADMIN_ADDR and the webhook settings.
func (c Config) validateHTTP() []error {
	var errs []error
	for _, v := range [][2]string{{"LISTEN_ADDR", c.ListenAddr}, {"ADMIN_ADDR", c.AdminAddr}} {
		name, addr := v[0], v[1]
		if addr == "" {
			continue
		}
		if _, port, err := net.SplitHostPort(addr); err != nil || port == "" {
			errs = append(errs, fmt.Errorf("%s: want host:port such as :8080 or 127.0.0.1:8080, got %q", name, addr))
		}
	}
	if c.AdminAddr != "" && sameAddr(c.AdminAddr, c.ListenAddr) {
		errs = append(errs, fmt.Errorf("ADMIN_ADDR: must differ from LISTEN_ADDR (%s): the admin listener serves the database and must not face the internet", c.ListenAddr))
	}
	if c.WebhookURL != "" {
		u, err := url.Parse(c.WebhookURL)
		if err != nil || u.Scheme != "https" || u.Host == "" {
			errs = append(errs, fmt.Errorf("WEBHOOK_URL: want the public https URL Telegram will post to, got %q", c.WebhookURL))
		}
		if c.ListenAddr == "" {
			errs = append(errs, fmt.Errorf("LISTEN_ADDR: required with WEBHOOK_URL: the address the webhook's requests arrive at"))
		}
	}
	if c.WebhookSecret != "" && !validSecret(c.WebhookSecret) {
		errs = append(errs, fmt.Errorf("WEBHOOK_SECRET: want 1 to 256 characters of A-Z, a-z, 0-9, _ and -"))
	}
	return errs
}

// sameAddr reports whether two host:port addresses would listen on the
// same port of the same interface (an empty host is every interface).
func sameAddr(a, b string) bool {
	ha, pa, errA := net.SplitHostPort(a)
	hb, pb, errB := net.SplitHostPort(b)
	if errA != nil || errB != nil {
		return false
	}
	return pa == pb && (ha == hb || ha == "" || hb == "")
}

func validSecret(s string) bool {
	if len(s) > 256 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
			return false
		}
	}
	return true
}
