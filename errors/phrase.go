package errors

// status is one entry of Python's BaseHTTPRequestHandler.responses:
// (shortmsg, longmsg) in send_error's words.
type status struct {
	phrase      string // HTTPStatus.phrase: "Not Found"
	description string // HTTPStatus.description: "Nothing matches the given URI"
}

// Phrase returns the reason phrase Python's http.HTTPStatus gives code
// ("Not Found"), or "" when Python has none.
//
// Every code Python knows has a non-empty phrase, so Phrase(code) == ""
// is the test for send_error's "unknown code" case, where Python uses
// "???" for both the message and the explanation.
func Phrase(code int) string {
	return statuses[code].phrase
}

// Explain returns the long description Python's http.HTTPStatus gives
// code ("Nothing matches the given URI"), or "".
//
// Some known codes have an empty description (102, 422, 507, ...), and
// Python then explains them with "", not "???": decide whether a code is
// known with [Phrase], not with Explain.
func Explain(code int) string {
	return statuses[code].description
}
