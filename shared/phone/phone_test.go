package phone

import "testing"

// fakePlan knows one number.
type fakePlan struct{}

func (fakePlan) Normalize(n string) (string, bool) { return "+46812345678", n == "+46 8 123 456 78" }
func (fakePlan) Timezone(string) string            { return "Europe/Stockholm" }
func (fakePlan) IsMobile(e164 string) bool         { return e164 == "+46701234567" }
func (fakePlan) Region(string) string              { return "SE" }
func (fakePlan) LineOf(string) Line                { return FixedLine }

func TestE164AsksThePlanOnlyForInternationalForm(t *testing.T) {
	Use(nil)
	if _, reason := E164("08-123 456 78"); reason == "" {
		t.Fatal("a national number passed without a plan")
	}
	Use(fakePlan{})
	defer Use(nil)
	if got, reason := E164(" +46 8 123 456 78 "); got != "+46812345678" || reason != "" {
		t.Fatalf("got %q %q", got, reason)
	}
	if _, reason := E164("+46 9"); reason != "is not a valid telephone number" {
		t.Fatalf("reason %q", reason)
	}
	if !IsMobile("+46701234567") || Region("+46812345678") != "SE" || LineOf("+46812345678") != FixedLine {
		t.Fatal("the plan's answers are not passed on")
	}
}

func TestCheckingWithoutAPlanNamesTheFix(t *testing.T) {
	Use(nil)
	defer func() {
		if r, _ := recover().(string); r == "" {
			t.Fatal("no panic")
		}
	}()
	E164("+46812345678")
}
