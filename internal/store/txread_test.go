package store_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestNoPoolReadsInTransactions fails the build when code a transaction runs can read on
// the pool: a read there does not see the transaction's own writes, and while the
// transaction holds a connection it waits for another one — with every connection held
// by a writer, it waits for ever (PostgreSQL) or until SQLite's busy timeout fails
// someone. Code inside a transaction reads through the q it is given.
//
// A static check rather than a guard at run time: it covers every path, not only those
// a test happens to take, and needs no change to the 100-odd places that open a
// transaction.
func TestNoPoolReadsInTransactions(t *testing.T) {
	names, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		if files[name], err = os.ReadFile(name); err != nil {
			t.Fatal(err)
		}
	}
	bad, roots := poolReadsInTx(t, files)
	if roots < 50 {
		t.Fatalf("found %d functions that run in transactions: the check no longer reads the package as it should", roots)
	}
	for _, b := range bad {
		t.Errorf("reads on the pool inside a transaction: %s", b)
	}
}

// The check itself finds a read on the pool two calls down from a transaction, and from
// a function that takes q.
func TestNoPoolReadsCheckFinds(t *testing.T) {
	src := []byte(`package store
func (s *Store) Save(ctx context.Context) error {
	return s.tx(ctx, func(c q) error { return s.helper(ctx) })
}
func (s *Store) helper(ctx context.Context) error { return s.lookup(ctx) }
func (s *Store) lookup(ctx context.Context) error { _, err := s.read().exec(ctx, "x"); return err }
func (s *Store) direct(ctx context.Context, c q) error { return s.db.PingContext(ctx) }
func (v *View) viaView(ctx context.Context, c q) error { return v.s.db.PingContext(ctx) }
func (s *Store) nested(ctx context.Context, c q) error { return s.tx(ctx, nil) }
`)
	bad, _ := poolReadsInTx(t, map[string][]byte{"x.go": src})
	want := []string{"Save (function at x.go:3) → helper → lookup: read()", "direct: s.db", "nested: tx()", "viaView: s.db"}
	if !slices.Equal(bad, want) {
		t.Fatalf("found %q, want %q", bad, want)
	}
}

// poolReadsInTx reads the files of the package. Its roots are every function that takes
// a q and every function literal that does (what tx and its like run); from them it
// follows calls by name to the package's own functions (over-approximating: methods of
// one name are one node) and reports each that calls read(), touches the pool (s.db) or
// opens another transaction itself, with the path that reaches it.
func poolReadsInTx(t *testing.T, files map[string][]byte) (bad []string, roots int) {
	fset := token.NewFileSet()
	calls := map[string]map[string]bool{} // function → names it calls
	pool := map[string]string{}           // function → what it does on the pool
	var rootNames []string
	// Where the pool is opened, closed and handed out.
	allowed := map[string]bool{"read": true, "Open": true, "Close": true, "DB": true, "Ping": true, "Backup": true}
	// visit records what body calls under the name node.
	visit := func(node string, body ast.Node) {
		if calls[node] == nil {
			calls[node] = map[string]bool{}
		}
		ast.Inspect(body, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CallExpr:
				called := calledName(n.Fun)
				calls[node][called] = true
				if called == "read" && len(n.Args) == 0 && !allowed[node] {
					pool[node] = "read()"
				}
				// A transaction inside one waits for the writer its caller holds.
				if (called == "tx" || called == "txPerson") && node != "txPerson" {
					pool[node] = called + "()"
				}
			case *ast.SelectorExpr:
				if n.Sel.Name == "db" && isStore(n.X) && !allowed[node] {
					pool[node] = "s.db"
				}
			}
			return true
		})
	}
	for _, name := range slices.Sorted(maps.Keys(files)) {
		f, err := parser.ParseFile(fset, name, files[name], 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, decl := range f.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok || fn.Body == nil {
				continue
			}
			node := fn.Name.Name
			visit(node, fn.Body)
			if takesQ(fn.Type) {
				rootNames = append(rootNames, node)
			}
			ast.Inspect(fn.Body, func(n ast.Node) bool {
				if lit, ok := n.(*ast.FuncLit); ok && takesQ(lit.Type) {
					pos := fset.Position(lit.Pos())
					root := node + " (function at " + pos.Filename + ":" + strconv.Itoa(pos.Line) + ")"
					visit(root, lit.Body)
					rootNames = append(rootNames, root)
				}
				return true
			})
		}
	}
	// Breadth first from the roots, remembering how each function was reached.
	via := map[string]string{}
	for _, r := range rootNames {
		via[r] = ""
	}
	queue := slices.Clone(rootNames)
	for len(queue) > 0 {
		fn := queue[0]
		queue = queue[1:]
		if what, ok := pool[fn]; ok {
			path := fn
			for p := via[fn]; p != ""; p = via[p] {
				path = p + " → " + path
			}
			bad = append(bad, path+": "+what)
		}
		for _, callee := range slices.Sorted(maps.Keys(calls[fn])) {
			if _, seen := via[callee]; !seen && calls[callee] != nil {
				via[callee] = fn
				queue = append(queue, callee)
			}
		}
	}
	slices.Sort(bad)
	return bad, len(rootNames)
}

// isStore reports whether x names the store: s in its own methods, people.s in a view's.
func isStore(x ast.Expr) bool {
	switch x := x.(type) {
	case *ast.Ident:
		return x.Name == "s"
	case *ast.SelectorExpr:
		return x.Sel.Name == "s"
	}
	return false
}

func calledName(fun ast.Expr) string {
	switch f := fun.(type) {
	case *ast.Ident:
		return f.Name
	case *ast.SelectorExpr:
		return f.Sel.Name
	case *ast.IndexExpr: // a generic function with its type argument
		return calledName(f.X)
	}
	return ""
}

// takesQ reports whether a function has a parameter of type q: it may run in a
// transaction.
func takesQ(ft *ast.FuncType) bool {
	for _, p := range ft.Params.List {
		if id, ok := p.Type.(*ast.Ident); ok && id.Name == "q" {
			return true
		}
	}
	return false
}
