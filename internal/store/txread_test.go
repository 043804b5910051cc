package store_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestNoPoolReadsInTransactions fails the build when code a transaction runs can read on
// the pool: a read there does not see the transaction's own writes, and while the
// transaction holds a connection it waits for another one — with every connection held
// by a writer, it waits for ever (PostgreSQL) or until SQLite's busy timeout fails
// someone. Code inside a transaction reads through the q it is given.
//
// It reads the package's source: the roots are every function that takes a q and every
// function literal handed to tx; from them it follows calls by name to the package's own
// functions (over-approximating: methods of one name are one node) and reports any that
// calls read() or touches the pool (s.db) itself, with the path that reaches it.
func TestNoPoolReadsInTransactions(t *testing.T) {
	fset := token.NewFileSet()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	calls := map[string]map[string]bool{} // function name → names it calls
	pool := map[string]string{}           // function name → what it does on the pool
	var roots []string
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		f, err := parser.ParseFile(fset, name, src, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, decl := range f.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok || fn.Body == nil {
				continue
			}
			node := fn.Name.Name
			if calls[node] == nil {
				calls[node] = map[string]bool{}
			}
			if takesQ(fn.Type) {
				roots = append(roots, node)
			}
			ast.Inspect(fn.Body, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.CallExpr:
					called := calledName(n.Fun)
					calls[node][called] = true
					if called == "read" && len(n.Args) == 0 && node != "tx" {
						pool[node] = "read()"
					}
					if called == "tx" {
						// What a transaction runs is a root of its own.
						for i, arg := range n.Args {
							if lit, ok := arg.(*ast.FuncLit); ok {
								root := node + " (transaction " + strings.Repeat("'", i) + ")"
								roots = append(roots, root)
								calls[root] = litCalls(lit, pool, root)
							}
						}
					}
				case *ast.SelectorExpr:
					if x, ok := n.X.(*ast.Ident); ok && n.Sel.Name == "db" && x.Name == "s" && node != "tx" &&
						node != "read" && node != "Open" && node != "Close" && node != "DB" && node != "Ping" && node != "Backup" {
						pool[node] = "s.db"
					}
				}
				return true
			})
		}
	}
	if len(roots) < 20 {
		t.Fatalf("found %d roots: the check no longer reads the package as it should", len(roots))
	}
	// Breadth first from the roots, remembering how each function was reached.
	via := map[string]string{}
	queue := slices.Clone(roots)
	for _, r := range roots {
		via[r] = ""
	}
	var bad []string
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
	for _, b := range bad {
		t.Errorf("reads on the pool inside a transaction: %s", b)
	}
}

// litCalls collects what a function literal calls, and notes pool use in it.
func litCalls(lit *ast.FuncLit, pool map[string]string, node string) map[string]bool {
	out := map[string]bool{}
	ast.Inspect(lit.Body, func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok {
			called := calledName(call.Fun)
			out[called] = true
			if called == "read" && len(call.Args) == 0 {
				pool[node] = "read()"
			}
		}
		if sel, ok := n.(*ast.SelectorExpr); ok && sel.Sel.Name == "db" {
			if x, ok := sel.X.(*ast.Ident); ok && x.Name == "s" {
				pool[node] = "s.db"
			}
		}
		return true
	})
	return out
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
