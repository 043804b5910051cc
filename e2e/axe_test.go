package e2e

import (
	"context"
	_ "embed"
	"encoding/json"
	"strings"

	"github.com/chromedp/chromedp"
)

// axeSource is axe-core, vendored for the tests only (testdata/axe-core/README.md).
//
//go:embed testdata/axe-core/axe.min.js
var axeSource string

// axeViolation is one failed accessibility rule and the elements that fail it.
type axeViolation struct {
	ID    string   `json:"id"`
	Help  string   `json:"help"`
	Nodes []string `json:"nodes"`
}

// axe runs axe-core's WCAG 2.1 A and AA rules (contrast, labels, names, structure) on the
// page the tab shows, and fails the test with every violation. DevTools evaluation is not
// bound by the page's Content-Security-Policy, so the page itself stays strict.
func (p *tab) axe(what string) {
	p.t.Helper()
	if !js[bool](p, `typeof window.axe === "object"`) {
		js[bool](p, axeSource+";true")
	}
	// A long page (the audit log) takes axe longer than one ordinary step on a busy machine.
	ctx, cancel := context.WithTimeout(p.ctx, 3*stepTimeout)
	defer cancel()
	out, err := chromedp.Run(ctx, chromedp.Evaluate[string](`axe.run(document, {runOnly: {type: "tag",
		values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}).then(r => JSON.stringify(r.violations.map(v =>
		({id: v.id, help: v.help, nodes: v.nodes.map(n => n.target.join(" "))}))))`, chromedp.EvalAwaitPromise))
	if err != nil {
		p.t.Fatalf("axe on %s: %v", what, err)
	}
	var vs []axeViolation
	if err := json.Unmarshal([]byte(out), &vs); err != nil {
		p.t.Fatalf("axe on %s: %v\n%s", what, err, out)
	}
	for _, v := range vs {
		p.t.Errorf("axe on %s: %s (%s): %s", what, v.ID, v.Help, strings.Join(v.Nodes, ", "))
	}
}
