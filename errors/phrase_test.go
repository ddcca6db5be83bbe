package errors

import "testing"

func TestPhraseExplain(t *testing.T) {
	tests := []struct {
		code                int
		phrase, explanation string
	}{
		{200, "OK", "Request fulfilled, document follows"},
		{301, "Moved Permanently", "Object moved permanently -- see URI list"},
		{404, "Not Found", "Nothing matches the given URI"},
		{418, "I'm a Teapot", "Server refuses to brew coffee because it is a teapot."},
		{422, "Unprocessable Entity", ""}, // known, with no description
		{431, "Request Header Fields Too Large",
			"The server is unwilling to process the request because its header fields are too large"},
		{501, "Not Implemented", "Server does not support this operation"},
		{505, "HTTP Version Not Supported", "Cannot fulfill request"},
		{599, "", ""}, // unknown to Python
		{0, "", ""},
		{-404, "", ""},
	}
	for _, tt := range tests {
		if got := Phrase(tt.code); got != tt.phrase {
			t.Errorf("Phrase(%d) = %q, want %q", tt.code, got, tt.phrase)
		}
		if got := Explain(tt.code); got != tt.explanation {
			t.Errorf("Explain(%d) = %q, want %q", tt.code, got, tt.explanation)
		}
	}
}

// TestEveryPhraseNonEmpty guards what Phrase's doc promises: "" means a
// code Python does not know.
func TestEveryPhraseNonEmpty(t *testing.T) {
	for code, s := range statuses {
		if s.phrase == "" {
			t.Errorf("code %d has an empty phrase", code)
		}
	}
}
