package footprint

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/provisio/provisio/infra/samtemplate"
)

const root = "../.."

func functions(t testing.TB) (*samtemplate.Template, []string) {
	t.Helper()
	tpl, err := samtemplate.Load(filepath.Join(root, "template.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	fns, err := tpl.Functions()
	if err != nil {
		t.Fatal(err)
	}
	names := make([]string, 0, len(fns))
	for name := range fns {
		names = append(names, name)
	}
	sort.Strings(names)
	return tpl, names
}

// TestEachFunctionLinksOnlyTheClientsItsPoliciesGrant fails when a function's binary can
// build an AWS client its role may not use (dead weight at best, a missing permission at
// worst) or lacks one it is granted (a stale policy), and when a function that may call
// no AWS service links any of the SDK, or when one links an SDK service's schema tables
// (0.1-0.5 ms of init per service, enough to push a cold start past the target;
// docs/dependencies.md says which releases are pinned for it). Each binary is also
// started once: its wiring must find every variable and client it asks for.
func TestEachFunctionLinksOnlyTheClientsItsPoliciesGrant(t *testing.T) {
	out := t.TempDir()
	if err := Build(root, out, runtime.GOOS, runtime.GOARCH, Flags); err != nil {
		t.Fatal(err)
	}
	hello, err := Inspect(filepath.Join(out, HelloWorld))
	if err != nil {
		t.Fatal(err)
	}
	if len(hello.Clients) > 0 || hello.SDK {
		t.Fatalf("the hello world links %+v: the symbol check sees what is not there", hello)
	}
	someClients := false
	tpl, names := functions(t)
	for _, name := range names {
		linked, err := Inspect(filepath.Join(out, Kebab(name)))
		if err != nil {
			t.Fatal(err)
		}
		start(t, filepath.Join(out, Kebab(name)))
		someClients = someClients || len(linked.Clients) > 0
		granted, err := Granted(tpl, name)
		if err != nil {
			t.Fatal(err)
		}
		if len(granted) == 0 && linked.SDK {
			t.Errorf("%s calls no AWS service and links the AWS SDK: wire it in shared/function", name)
		}
		if got, want := sortedKeys(linked.Clients), sortedKeys(granted); !slices.Equal(got, want) {
			t.Errorf("%s links clients of %v; its policies grant %v", name, got, want)
		}
		if len(linked.Schemas) > 0 {
			t.Errorf("%s links the schema tables of %v, built at every cold start: see \"AWS SDK releases\" in docs/dependencies.md", name, sortedKeys(linked.Schemas))
		}
	}
	// The check must see what is there: most functions do build clients.
	if !someClients {
		t.Error("no function links an AWS client: the symbol check sees nothing")
	}
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// BenchmarkFunctionFootprint reports, for every function against a hello world built in
// the same run: the deployed (linux/arm64, stripped) bootstrap's size and its ratio; on a
// native build, the package init time and the time to main (the end of the last init,
// GODEBUG=inittrace=1) as a ratio of the hello world's; and its start-up: exec until
// lambda.Start gives up outside Lambda, wiring included, as a ratio too.
func BenchmarkFunctionFootprint(b *testing.B) {
	deployed, native := b.TempDir(), b.TempDir()
	if err := Build(root, deployed, "linux", "arm64", Stripped); err != nil {
		b.Fatal(err)
	}
	if err := Build(root, native, runtime.GOOS, runtime.GOARCH, Stripped); err != nil {
		b.Fatal(err)
	}
	helloSize := size(b, filepath.Join(deployed, HelloWorld))
	helloStart := medianStart(b, filepath.Join(native, HelloWorld), 20)
	_, helloMain := initTrace(b, filepath.Join(native, HelloWorld), 20)
	_, names := functions(b)
	for _, name := range append([]string{HelloWorld}, names...) {
		dir := name
		if name != HelloWorld {
			dir = Kebab(name)
		}
		b.Run(name, func(b *testing.B) {
			bin := filepath.Join(native, dir)
			var runs []time.Duration
			for b.Loop() {
				runs = append(runs, start(b, bin))
			}
			bytes := size(b, filepath.Join(deployed, dir))
			b.ReportMetric(float64(bytes), "bytes")
			b.ReportMetric(float64(bytes)/float64(helloSize), "size-x")
			initMs, toMain := initTrace(b, bin, len(runs))
			b.ReportMetric(initMs, "init-ms")
			b.ReportMetric(float64(toMain)/float64(helloMain), "main-x")
			b.ReportMetric(float64(median(runs))/float64(helloStart), "start-x")
		})
	}
}

func size(b *testing.B, path string) int64 {
	fi, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	return fi.Size()
}

// env lets every function's wiring complete (every variable the template gives any
// function, set; no AWS call is made at wiring) so start-up includes it; lambda.Start
// then exits, finding no runtime API.
func env(tb testing.TB) []string {
	tpl, names := functions(tb)
	fns, err := tpl.Functions()
	if err != nil {
		tb.Fatal(err)
	}
	vars := []string{"AWS_REGION=us-east-1", "AWS_ACCESS_KEY_ID=x", "AWS_SECRET_ACCESS_KEY=x", "AWS_EC2_METADATA_DISABLED=true"}
	seen := map[string]bool{}
	for _, name := range names {
		for k, v := range fns[name].Environment.Variables {
			if !seen[k] {
				seen[k] = true
				value, err := v.Resolve(placeholders{}) // literals as they are: STALE_AFTER's 10m
				if err != nil {
					tb.Fatal(err)
				}
				vars = append(vars, k+"="+value)
			}
		}
	}
	return vars
}

// placeholders stands in for every resource a variable refers to.
type placeholders struct{}

func (placeholders) Ref(string) (string, error)            { return "http://local", nil }
func (placeholders) GetAtt(string, string) (string, error) { return "http://local", nil }

// start runs bin once, checks that its cold start got as far as lambda.Start (so its
// wiring found every variable and client it needs), and returns how long it took to exit.
func start(b testing.TB, bin string) time.Duration {
	cmd := exec.Command(bin)
	cmd.Env = env(b)
	begin := time.Now()
	out, err := cmd.CombinedOutput()
	took := time.Since(begin)
	if err == nil || !bytes.Contains(out, []byte("AWS_LAMBDA_RUNTIME_API")) {
		b.Fatalf("%s did not reach lambda.Start: %v\n%s", bin, err, out)
	}
	return took
}

func medianStart(b *testing.B, bin string, n int) time.Duration {
	runs := make([]time.Duration, n)
	for i := range runs {
		runs[i] = start(b, bin)
	}
	return median(runs)
}

func median(d []time.Duration) time.Duration {
	slices.Sort(d)
	return d[len(d)/2]
}

var initLine = regexp.MustCompile(`(?m)^init \S+ @([0-9.]+) ms, ([0-9.]+) ms clock`)

// initTrace runs bin n times with GODEBUG=inittrace=1 and returns the median of the sum
// of every package's init clock time, and the median time to main: when the last init
// ended, from the start of the runtime.
func initTrace(b *testing.B, bin string, n int) (float64, time.Duration) {
	totals := make([]time.Duration, n)
	toMain := make([]time.Duration, n)
	for i := range n {
		cmd := exec.Command(bin)
		cmd.Env = append(env(b), "GODEBUG=inittrace=1")
		out, _ := cmd.CombinedOutput()
		for _, m := range initLine.FindAllSubmatch(out, -1) {
			at, err1 := strconv.ParseFloat(string(m[1]), 64)
			clock, err2 := strconv.ParseFloat(string(m[2]), 64)
			if err1 != nil || err2 != nil {
				b.Fatalf("%s: init trace line %q", bin, m[0])
			}
			totals[i] += time.Duration(clock * float64(time.Millisecond))
			toMain[i] = max(toMain[i], time.Duration((at+clock)*float64(time.Millisecond)))
		}
		if totals[i] == 0 {
			b.Fatalf("%s printed no init trace", bin)
		}
	}
	return float64(median(totals)) / float64(time.Millisecond), median(toMain)
}

// The footprint is the deployed one only while Stripped are the Makefile's GO_FLAGS.
func TestFlagsAreTheMakefiles(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join(root, "Makefile"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^GO_FLAGS\s*:=\s*(.+)$`).FindSubmatch(raw)
	if m == nil {
		t.Fatal("the Makefile sets no GO_FLAGS")
	}
	// Split as the shell does for these flags: on spaces outside single quotes.
	var words []string
	var word strings.Builder
	quoted := false
	for _, r := range strings.TrimSpace(string(m[1])) + " " {
		switch {
		case r == '\'':
			quoted = !quoted
		case r == ' ' && !quoted:
			if word.Len() > 0 {
				words = append(words, word.String())
				word.Reset()
			}
		default:
			word.WriteRune(r)
		}
	}
	if !slices.Equal(words, Stripped) {
		t.Fatalf("Makefile GO_FLAGS %q; footprint builds with %q", words, Stripped)
	}
}
