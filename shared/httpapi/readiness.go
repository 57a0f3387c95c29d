package httpapi

import (
	"context"
	"net/http"
	"slices"
	"sync"

	"github.com/provisio/provisio/shared/fault"
)

// Probe checks that one dependency answers; its error says nothing secret.
type Probe func(ctx context.Context) error

// Ready answers GET /v1/health/ready: every probe in Probes (the table and the queues)
// runs at once, and the answer is 200 when all answer, else a 503 problem naming those
// that did not. Unlike Health, it costs one AWS call per dependency: point a load
// balancer's or a deployment's readiness check at it, not a high-rate liveness probe.
func (a *API) Ready(w http.ResponseWriter, r *http.Request) {
	var mu sync.Mutex
	var wg sync.WaitGroup
	checks := map[string]string{}
	var down []string
	for name, probe := range a.Probes {
		wg.Go(func() {
			err := probe(r.Context())
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				checks[name], down = "unavailable", append(down, name)
				logger(r.Context()).WarnContext(r.Context(), "readiness probe failed", "dependency", name, "error", err)
				return
			}
			checks[name] = "ok"
		})
	}
	wg.Wait()
	if len(down) > 0 {
		slices.Sort(down)
		var f fault.Fields
		for _, name := range down {
			f.Add(name, "does not answer")
		}
		writeError(w, r, &fault.Error{Code: fault.Unavailable, Message: "some dependencies do not answer", Fields: f.List()})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"status": "ready", "checks": checks})
}
