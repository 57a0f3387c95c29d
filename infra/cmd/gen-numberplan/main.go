// Command gen-numberplan writes shared/phone's numbering plan tables from libphonenumber's
// metadata (see infra/numberplan). Run it from the repository root: make numberplan.
package main

import (
	"fmt"
	"os"

	"github.com/provisio/provisio/infra/numberplan"
)

func main() {
	src, err := numberplan.Generate()
	if err == nil {
		err = os.WriteFile(numberplan.Output, src, 0o644)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "gen-numberplan:", err)
		os.Exit(1)
	}
}
