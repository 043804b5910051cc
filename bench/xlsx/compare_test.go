package xlsxbench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"
)

// figures is one measured run: wall time, bytes allocated, peak heap in use above what
// it was before (sampled every 2 ms), and the outcome.
type figures struct {
	Time    time.Duration
	Alloc   uint64
	Peak    uint64
	MaxRSS  int64 // of the whole process, KB (from the child's rusage)
	Outcome string
}

func measure(f func() (int, error)) figures {
	var m runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&m)
	base, alloc := m.HeapInuse, m.TotalAlloc
	var peak uint64
	done := make(chan bool)
	go func() {
		var s runtime.MemStats
		for {
			select {
			case <-done:
				done <- true
				return
			case <-time.After(2 * time.Millisecond):
				runtime.ReadMemStats(&s)
				if s.HeapInuse > base {
					peak = max(peak, s.HeapInuse-base)
				}
			}
		}
	}()
	start := time.Now()
	n, err := f()
	elapsed := time.Since(start)
	done <- true
	<-done
	runtime.ReadMemStats(&m)
	out := fmt.Sprintf("%d rows", n)
	if err != nil {
		out = "error: " + err.Error()
		if len(out) > 70 {
			out = out[:70] + "…"
		}
	}
	return figures{Time: elapsed, Alloc: m.TotalAlloc - alloc, Peak: peak, Outcome: out}
}

// TestChild reads one hostile file with one reader in this process and prints the
// figures; TestCompare runs it in a child process, so that a reader that runs away can
// be stopped and its whole footprint (maximum resident set) read.
func TestChild(t *testing.T) {
	name, reader := os.Getenv("BENCH_FILE"), os.Getenv("BENCH_READER")
	if name == "" {
		t.Skip("run by TestCompare")
	}
	file := hostileFile(name)
	fig := measure(func() (int, error) { return readers[reader](file) })
	json.NewEncoder(os.Stdout).Encode(fig)
}

// TestCompare prints the tables of decision 0015. Set BENCH_TIMEOUT (default 60s) to
// bound how long a reader may take over one hostile file.
func TestCompare(t *testing.T) {
	if testing.Short() {
		t.Skip("minutes of work")
	}
	names := []string{"birge", "excelize GetRows", "excelize Rows"}
	rows := peopleRows(100_000)
	files := map[string][]byte{"written by birge": ownFile(rows), "written by excelize": excelizeFile(rows)}
	var out strings.Builder
	fmt.Fprintf(&out, "\n### Reading 100,000 people (12 columns)\n\n| file | reader | time | allocated | peak heap |\n|---|---|---|---|---|\n")
	for _, which := range []string{"written by birge", "written by excelize"} {
		for _, r := range names {
			fig := measure(func() (int, error) { return readers[r](files[which]) })
			fmt.Fprintf(&out, "| %s (%d KB) | %s | %v | %d MB | %d MB |\n", which, len(files[which])>>10, r,
				fig.Time.Round(time.Millisecond), fig.Alloc>>20, fig.Peak>>20)
		}
	}
	fmt.Fprintf(&out, "\n### Writing 100,000 people\n\n| writer | time | allocated | peak heap | file |\n|---|---|---|---|---|\n")
	for _, w := range []struct {
		name  string
		write func([][]string) []byte
	}{{"birge", ownFile}, {"excelize StreamWriter", excelizeFile}} {
		var size int
		fig := measure(func() (int, error) { size = len(w.write(rows)); return 0, nil })
		fmt.Fprintf(&out, "| %s | %v | %d MB | %d MB | %d KB |\n", w.name, fig.Time.Round(time.Millisecond), fig.Alloc>>20, fig.Peak>>20, size>>10)
	}

	timeout := 60 * time.Second
	if v, err := time.ParseDuration(os.Getenv("BENCH_TIMEOUT")); err == nil {
		timeout = v
	}
	fmt.Fprintf(&out, "\n### The hostile set (each in a process of its own, stopped after %v)\n\n| file | size | reader | outcome | time | allocated | peak heap | max RSS |\n|---|---|---|---|---|---|---|---|\n", timeout)
	for _, h := range hostile {
		size := len(hostileFile(h.name))
		for _, r := range names {
			fig := child(t, h.name, r, timeout)
			fmt.Fprintf(&out, "| %s | %d KB | %s | %s | %v | %d MB | %d MB | %d MB |\n", h.name, size>>10, r, fig.Outcome,
				fig.Time.Round(time.Millisecond), fig.Alloc>>20, fig.Peak>>20, fig.MaxRSS>>10)
		}
	}
	t.Log(out.String())
}

func child(t *testing.T, file, reader string, timeout time.Duration) (fig figures) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestChild$")
	cmd.Env = append(os.Environ(), "BENCH_FILE="+file, "BENCH_READER="+reader)
	var stdout bytes.Buffer
	cmd.Stdout = &stdout
	start := time.Now()
	err := cmd.Run()
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		defer func() { fig.MaxRSS = ru.Maxrss }()
	}
	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	if json.Unmarshal([]byte(lines[0]), &fig) != nil {
		fig = figures{Time: time.Since(start), Outcome: fmt.Sprintf("no answer (%v)", err)}
		if ctx.Err() != nil {
			fig.Outcome = fmt.Sprintf("stopped after %v", timeout)
		}
	}
	return fig
}

// The benchmarks give time and allocations with -count for medians.
func BenchmarkRead(b *testing.B) {
	file := ownFile(peopleRows(100_000))
	keys := make([]string, 0, len(readers))
	for k := range readers {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, name := range keys {
		b.Run(strings.ReplaceAll(name, " ", "_"), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := readers[name](file); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkWrite(b *testing.B) {
	rows := peopleRows(100_000)
	b.Run("birge", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			ownFile(rows)
		}
	})
	b.Run("excelize_StreamWriter", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			excelizeFile(rows)
		}
	})
}
