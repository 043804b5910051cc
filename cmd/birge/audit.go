package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"

	"github.com/birge-org/birge/internal/store"
)

// audit verifies the audit log's chains, against a checkpoint file when given one, or
// writes a signed checkpoint of where each chain ends now (decision 0013).
func (e *env) audit(ctx context.Context, args []string) error {
	if len(args) == 0 || (args[0] != "verify" && args[0] != "checkpoint") {
		return fmt.Errorf("audit: verify [--checkpoint FILE] or checkpoint [--to FILE]")
	}
	var db dbFlags
	fs := e.flags("audit "+args[0], &db)
	cpFile := fs.String("checkpoint", "", "verify: a file written by birge audit checkpoint, to compare the chains against")
	to := fs.String("to", "", "checkpoint: the file to write (must not exist); standard output when empty")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	st, err := e.open(ctx, db, false)
	if err != nil {
		return err
	}
	defer st.Close()
	switch n, err := st.Pending(ctx); {
	case err != nil:
		return fmt.Errorf("reading the migrations' status: %w", err)
	case n > 0:
		return fmt.Errorf("%d migration(s) pending: run birge migrate up first", n)
	}
	if args[0] == "checkpoint" {
		return e.auditCheckpoint(ctx, st, *to)
	}
	var cp *store.Checkpoint
	if *cpFile != "" {
		f, err := os.Open(*cpFile)
		if err != nil {
			return err
		}
		cp, err = st.ReadCheckpoint(f)
		f.Close()
		if err != nil {
			return fmt.Errorf("%s: %w", *cpFile, err)
		}
	}
	r, err := st.CheckAudit(ctx, cp)
	if err != nil {
		return err
	}
	for _, b := range r.Breaks {
		fmt.Fprintln(e.stdout, describeBreak(b))
	}
	against := ""
	if cp != nil {
		against = fmt.Sprintf(", and against the checkpoint of %s", cp.MadeAt.Format("2006-01-02 15:04:05Z"))
	}
	if n := len(r.Breaks) + r.More; n > 0 {
		if r.More > 0 {
			fmt.Fprintf(e.stdout, "… and %d more\n", r.More)
		}
		return fmt.Errorf("audit log broken: %d break(s) found in %d entries checked%s", n, r.Checked, against)
	}
	fmt.Fprintf(e.stdout, "audit log intact: %d entries in %d chains%s\n", r.Checked, len(r.Chains), against)
	return nil
}

// auditCheckpoint writes a signed checkpoint to a new file, or to standard output.
func (e *env) auditCheckpoint(ctx context.Context, st *store.Store, to string) error {
	cp, r, err := st.MakeCheckpoint(ctx)
	if err != nil {
		return err
	}
	b, err := json.MarshalIndent(cp, "", "  ")
	if err != nil {
		return err
	}
	b = append(b, '\n')
	if to == "" {
		_, err = e.stdout.Write(b)
	} else {
		err = writeNew(to, b)
	}
	if err != nil {
		return err
	}
	for _, br := range r.Breaks {
		fmt.Fprintln(e.stderr, describeBreak(br))
	}
	if cp.Breaks > 0 {
		fmt.Fprintf(e.stderr, "warning: the log has %d break(s) now; the checkpoint records them as they are\n", cp.Breaks)
	}
	if to != "" {
		fmt.Fprintf(e.stdout, "checkpoint of %d chains written to %s; keep it away from this machine\n", len(cp.Chains), to)
	}
	return nil
}

// writeNew writes a file that must not exist yet, so that a checkpoint never replaces
// an older one.
func writeNew(path string, b []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// breakProblems say what each kind of break means, for the administrator at a terminal.
var breakProblems = map[string]string{
	store.BreakHash:       "the entry does not match its hash: edited, or written without the audit key",
	store.BreakLink:       "the entry does not follow the one before it: replaced or reordered",
	store.BreakMissing:    "missing: deleted",
	store.BreakHead:       "the chain does not end where its head says: its newest entries deleted, or the head changed",
	store.BreakAnchor:     "the entries written before keyed chains do not end where the installation chain recorded, or that record is gone",
	store.BreakCheckpoint: "the chain no longer holds the entry the checkpoint recorded: truncated, emptied or rewritten",
}

// describeBreak names the chain, the place and what is wrong there.
func describeBreak(b store.AuditBreak) string {
	chain := fmt.Sprintf("organisation %d's chain", b.Chain)
	switch {
	case b.Legacy:
		chain = "entries written before keyed chains (seq)"
	case b.Chain == 0:
		chain = "the installation's chain"
	}
	place := fmt.Sprintf("entry %d", b.ChainSeq)
	if b.Problem == store.BreakMissing && b.Count > 1 {
		place = fmt.Sprintf("entries %d to %d", b.ChainSeq, b.ChainSeq+b.Count-1)
	}
	if b.Seq != 0 && !b.Legacy {
		place += fmt.Sprintf(" (log entry %d)", b.Seq)
	}
	return fmt.Sprintf("%s, %s: %s", chain, place, breakProblems[b.Problem])
}
