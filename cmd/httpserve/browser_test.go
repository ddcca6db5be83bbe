//go:build unix

package main

// The real-browser test: headless Chromium, driven through ChromeDriver
// with the W3C WebDriver protocol (plain JSON over HTTP, no client
// library), browses a listing served by the httpserve binary, follows a
// link, and seeks a video, which Chromium fetches with Range requests.
//
// Chromium and ChromeDriver are Debian's packages chromium and
// chromium-driver, which .ci/install-chromium.sh installs. Without them
// the test is skipped, except under CI=true, where it fails.
//
// testdata/browser/clip.webm (VP8, 160x120, 10 frames a second, 6 s,
// 145 KiB; the noise makes it big enough to be fetched in pieces) was made
// with ffmpeg 5.1:
//
//	ffmpeg -f lavfi -i testsrc=duration=6:size=160x120:rate=10 \
//		-vf noise=alls=12:allf=t -c:v libvpx -b:v 250k -minrate 250k \
//		-maxrate 250k -g 10 -an -fflags +bitexact -flags:v +bitexact \
//		-map_metadata -1 clip.webm

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

const (
	chromiumPath     = "/usr/bin/chromium"
	chromedriverPath = "/usr/bin/chromedriver"
)

// chromiumArgs start Chromium headless, as root, on a machine whose only
// network is loopback: without the background-networking flags Chromium
// keeps trying to reach Google's hosts.
var chromiumArgs = []string{
	"--headless",
	"--no-sandbox",
	"--disable-gpu",
	"--disable-quic",
	"--no-first-run",
	"--disable-background-networking",
	"--disable-component-update",
	"--disable-sync",
	"--disable-dev-shm-usage",
	"--window-size=1024,768",
}

func TestBrowser(t *testing.T) {
	needBinary(t)
	needChromium(t)

	dir, err := filepath.Abs(filepath.Join("testdata", "browser"))
	if err != nil {
		t.Fatal(err)
	}
	p := start(t, "-p", "HTTP/1.1", "-b", "127.0.0.1", "-d", dir, "0")
	_, port := p.banner(t)
	root := fmt.Sprintf("http://127.0.0.1:%d/", port)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("httpserve's stderr:\n%s", p.stderr.String())
		}
	})

	artifacts := artifactDir(t)
	wd := startWebDriver(t, artifacts)

	t.Run("listing", func(t *testing.T) {
		wd.navigate(t, root)
		if got, want := wd.title(t), "Directory listing for /"; got != want {
			t.Errorf("title = %q, want %q", got, want)
		}
		var links []string
		wd.execute(t, `return Array.from(document.querySelectorAll("li a"), a => a.getAttribute("href"));`, &links)
		for _, want := range []string{"clip.webm", "hello.txt", "player.html", "sub/", "two%20words.txt"} {
			if !slices.Contains(links, want) {
				t.Errorf("listing links %q, want one to %q", links, want)
			}
		}
		checkScreenshot(t, wd.screenshot(t), filepath.Join(artifacts, "browser-listing.png"))

		wd.click(t, wd.findElement(t, `a[href="sub/"]`))
		wd.waitTitle(t, "Directory listing for /sub/")
		if got, want := wd.url(t), root+"sub/"; got != want {
			t.Errorf("URL after clicking sub/ = %q, want %q", got, want)
		}
		if _, err := wd.tryFindElement(t, `a[href="inner.txt"]`); err != nil {
			t.Errorf("no link to inner.txt in /sub/: %v", err)
		}

		wd.back(t)
		wd.waitTitle(t, "Directory listing for /")
		if got, want := wd.url(t), root; got != want {
			t.Errorf("URL after going back = %q, want %q", got, want)
		}
	})

	t.Run("video", func(t *testing.T) {
		wd.navigate(t, root+"player.html")
		// Seek to near the end once the metadata is in, then play to the
		// end; answer with the state after each step, or the media error.
		const script = `
const done = arguments[arguments.length - 1];
const v = document.querySelector("video");
const state = () => ({currentTime: v.currentTime, duration: v.duration, readyState: v.readyState});
const fail = what => done({error: what + ": networkState " + v.networkState +
	", readyState " + v.readyState + ", error " + (v.error ? v.error.code + " " + v.error.message : "none")});
v.addEventListener("error", () => fail("media error"));
const seek = () => {
	v.addEventListener("seeked", () => {
		const seeked = state();
		v.addEventListener("ended", () => done({seeked: seeked, ended: state()}), {once: true});
		v.play().catch(e => fail("play: " + e));
	}, {once: true});
	v.currentTime = v.duration - 1;
};
if (v.readyState >= HTMLMediaElement.HAVE_METADATA) seek();
else v.addEventListener("loadedmetadata", seek, {once: true});
`
		type mediaState struct {
			CurrentTime float64 `json:"currentTime"`
			Duration    float64 `json:"duration"`
			ReadyState  int     `json:"readyState"`
		}
		var got struct {
			Error  string     `json:"error"`
			Seeked mediaState `json:"seeked"`
			Ended  mediaState `json:"ended"`
		}
		wd.executeAsync(t, script, &got)
		t.Logf("after seeking: %+v; at the end: %+v", got.Seeked, got.Ended)
		if got.Error != "" {
			t.Fatalf("video: %s", got.Error)
		}
		s := got.Seeked
		// clip.webm is 6 s long; these are media times, not wall-clock.
		if s.Duration < 5.5 || s.Duration > 6.5 {
			t.Errorf("duration = %v, want about 6", s.Duration)
		}
		if s.CurrentTime < s.Duration-1.5 || s.CurrentTime > s.Duration {
			t.Errorf("currentTime after seeking to %v = %v", s.Duration-1, s.CurrentTime)
		}
		if s.ReadyState < 2 { // HAVE_CURRENT_DATA
			t.Errorf("readyState after seeking = %d, want at least 2 (HAVE_CURRENT_DATA)", s.ReadyState)
		}
		if e := got.Ended; e.CurrentTime < s.Duration-0.2 {
			t.Errorf("currentTime at the end = %v, want about %v", e.CurrentTime, s.Duration)
		}
		checkScreenshot(t, wd.screenshot(t), filepath.Join(artifacts, "browser-player.png"))

		// Chromium asks for media with "Range: bytes=0-" (and seeking
		// may ask for more): a server honouring Range answers 206.
		waitFor(t, 10*time.Second, "a 206 for clip.webm in the access log", func() bool {
			return strings.Contains(p.stderr.String(), `"GET /clip.webm HTTP/1.1" 206 -`+"\n")
		})
		t.Logf("requests for clip.webm:\n%s", grepLines(p.stderr.String(), "/clip.webm "))
	})
}

// needChromium skips the test when Chromium or ChromeDriver is missing,
// or fails it under CI=true, where .ci/install-chromium.sh has run.
func needChromium(t *testing.T) {
	t.Helper()
	var missing []string
	for _, path := range []string{chromiumPath, chromedriverPath} {
		if _, err := os.Stat(path); err != nil {
			missing = append(missing, path)
		}
	}
	if len(missing) == 0 {
		return
	}
	msg := fmt.Sprintf("%s not installed: run .ci/install-chromium.sh (apt-get install chromium chromium-driver, as root)",
		strings.Join(missing, " and "))
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
}

// artifactDir is where screenshots and ChromeDriver's log go:
// $HTTPSERVE_ARTIFACTS if set, else a temporary directory.
func artifactDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("HTTPSERVE_ARTIFACTS")
	if dir == "" {
		return t.TempDir()
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// checkScreenshot saves a screenshot to path and checks that it is a PNG
// with more than one colour in it.
func checkScreenshot(t *testing.T, shot []byte, path string) {
	t.Helper()
	if err := os.WriteFile(path, shot, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", path)
	if ct := http.DetectContentType(shot); ct != "image/png" {
		t.Errorf("screenshot %s is %s, want image/png", path, ct)
		return
	}
	img, err := png.Decode(bytes.NewReader(shot))
	if err != nil {
		t.Errorf("screenshot %s: %v", path, err)
		return
	}
	if blank(img) {
		t.Errorf("screenshot %s (%v) is one colour", path, img.Bounds())
	}
}

func blank(img image.Image) bool {
	b := img.Bounds()
	if b.Empty() {
		return true
	}
	r0, g0, b0, a0 := img.At(b.Min.X, b.Min.Y).RGBA()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if r, g, b, a := img.At(x, y).RGBA(); r != r0 || g != g0 || b != b0 || a != a0 {
				return false
			}
		}
	}
	return true
}

func grepLines(s, substr string) string {
	var out []string
	for line := range strings.Lines(s) {
		if strings.Contains(line, substr) {
			out = append(out, line)
		}
	}
	return strings.Join(out, "")
}

// webDriver is one WebDriver session of a ChromeDriver the test started.
type webDriver struct {
	client  *http.Client
	session string // http://127.0.0.1:PORT/session/ID
}

var chromedriverPortRE = regexp.MustCompile(`started successfully on port (\d+)`)

// startWebDriver starts ChromeDriver on a free loopback port, in a
// process group of its own with the Chromium it starts, and opens a
// session. The test's cleanup ends the session and kills the group.
func startWebDriver(t *testing.T, artifacts string) *webDriver {
	t.Helper()
	userData := t.TempDir() // removed after the cleanup below kills Chromium
	cmd := exec.Command(chromedriverPath, "--port=0", "--log-path="+filepath.Join(artifacts, "chromedriver.log"))
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	var stdout, stderr syncBuffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() {
		cmd.Wait()
		close(exited)
	}()
	pgid := cmd.Process.Pid
	t.Cleanup(func() {
		// Chromium's processes are in the group too.
		syscall.Kill(-pgid, syscall.SIGKILL)
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			t.Errorf("chromedriver (pid %d) still running 10s after SIGKILL", pgid)
		}
	})
	t.Logf("ChromeDriver's log: %s", filepath.Join(artifacts, "chromedriver.log"))

	var port int
	waitFor(t, 10*time.Second, "chromedriver to start", func() bool {
		select {
		case <-exited:
			t.Fatalf("chromedriver exited: %v\nstdout:\n%s\nstderr:\n%s", cmd.ProcessState, stdout.String(), stderr.String())
		default:
		}
		m := chromedriverPortRE.FindStringSubmatch(stdout.String())
		if m == nil {
			return false
		}
		port, _ = strconv.Atoi(m[1])
		return true
	})
	base := fmt.Sprintf("http://127.0.0.1:%d", port)
	client := &http.Client{Timeout: 30 * time.Second}

	caps := map[string]any{
		"capabilities": map[string]any{
			"alwaysMatch": map[string]any{
				"browserName":      "chrome",
				"pageLoadStrategy": "normal",
				"timeouts":         map[string]int{"pageLoad": 15000, "script": 20000, "implicit": 0},
				"goog:chromeOptions": map[string]any{
					"binary": chromiumPath,
					"args":   append(slices.Clone(chromiumArgs), "--user-data-dir="+userData),
				},
			},
		},
	}
	var created struct {
		SessionID    string         `json:"sessionId"`
		Capabilities map[string]any `json:"capabilities"`
	}
	if err := call(client, "POST", base+"/session", caps, &created); err != nil {
		t.Fatalf("creating a WebDriver session: %v\nchromedriver's stderr:\n%s", err, stderr.String())
	}
	t.Logf("browser %v %v", created.Capabilities["browserName"], created.Capabilities["browserVersion"])
	wd := &webDriver{client: client, session: base + "/session/" + created.SessionID}
	t.Cleanup(func() {
		// Quit politely first; the group kill above follows regardless.
		c := &http.Client{Timeout: 5 * time.Second}
		if err := call(c, "DELETE", wd.session, nil, nil); err != nil {
			t.Logf("ending the WebDriver session: %v", err)
		}
	})
	return wd
}

// call sends one WebDriver command and decodes the "value" of its answer
// into out, or returns the WebDriver error.
func call(client *http.Client, method, url string, in, out any) error {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, url, body)
	if err != nil {
		return err
	}
	if in != nil {
		req.Header.Set("Content-Type", "application/json; charset=utf-8")
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return fmt.Errorf("%s %s: %v", method, url, err)
	}
	var answer struct {
		Value json.RawMessage `json:"value"`
	}
	if err := json.Unmarshal(data, &answer); err != nil {
		return fmt.Errorf("%s %s: %s: %v: %.200q", method, url, resp.Status, err, data)
	}
	if resp.StatusCode != http.StatusOK {
		var e struct {
			Error   string `json:"error"`
			Message string `json:"message"`
		}
		json.Unmarshal(answer.Value, &e)
		return fmt.Errorf("%s %s: %s: %s: %s", method, url, resp.Status, e.Error, e.Message)
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(answer.Value, out); err != nil {
		return fmt.Errorf("%s %s: decoding %.200q: %v", method, url, answer.Value, err)
	}
	return nil
}

func (wd *webDriver) do(t *testing.T, method, path string, in, out any) {
	t.Helper()
	if err := call(wd.client, method, wd.session+path, in, out); err != nil {
		t.Fatal(err)
	}
}

func (wd *webDriver) navigate(t *testing.T, url string) {
	t.Helper()
	wd.do(t, "POST", "/url", map[string]string{"url": url}, nil)
}

func (wd *webDriver) back(t *testing.T) {
	t.Helper()
	wd.do(t, "POST", "/back", map[string]any{}, nil)
}

func (wd *webDriver) title(t *testing.T) string {
	t.Helper()
	var s string
	wd.do(t, "GET", "/title", nil, &s)
	return s
}

func (wd *webDriver) url(t *testing.T) string {
	t.Helper()
	var s string
	wd.do(t, "GET", "/url", nil, &s)
	return s
}

// waitTitle waits for a navigation to reach the page titled want.
func (wd *webDriver) waitTitle(t *testing.T, want string) {
	t.Helper()
	var got string
	deadline := time.Now().Add(10 * time.Second)
	for {
		if got = wd.title(t); got == want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("title = %q after 10s, want %q (URL %s)", got, want, wd.url(t))
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// webElementKey names an element reference in the W3C protocol.
const webElementKey = "element-6066-11e4-a52e-4f735466cecf"

func (wd *webDriver) tryFindElement(t *testing.T, css string) (string, error) {
	t.Helper()
	var ref map[string]string
	if err := call(wd.client, "POST", wd.session+"/element", map[string]string{"using": "css selector", "value": css}, &ref); err != nil {
		return "", err
	}
	id, ok := ref[webElementKey]
	if !ok {
		return "", fmt.Errorf("find %s: no element reference in %q", css, ref)
	}
	return id, nil
}

func (wd *webDriver) findElement(t *testing.T, css string) string {
	t.Helper()
	id, err := wd.tryFindElement(t, css)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func (wd *webDriver) click(t *testing.T, element string) {
	t.Helper()
	wd.do(t, "POST", "/element/"+element+"/click", map[string]any{}, nil)
}

func (wd *webDriver) screenshot(t *testing.T) []byte {
	t.Helper()
	var b64 string
	wd.do(t, "GET", "/screenshot", nil, &b64)
	shot, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	return shot
}

// execute runs script in the page and decodes what it returns into out.
func (wd *webDriver) execute(t *testing.T, script string, out any) {
	t.Helper()
	wd.do(t, "POST", "/execute/sync", map[string]any{"script": script, "args": []any{}}, out)
}

// executeAsync runs script, which calls its last argument with the
// result, and waits for it, for at most the session's script timeout.
func (wd *webDriver) executeAsync(t *testing.T, script string, out any) {
	t.Helper()
	wd.do(t, "POST", "/execute/async", map[string]any{"script": script, "args": []any{}}, out)
}
