package bot

import "strings"

// mask replaces every occurrence of secret in s.
func mask(s, secret string) string {
	if secret == "" {
		return s
	}
	return strings.ReplaceAll(s, secret, "***")
}
