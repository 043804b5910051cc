package birge

import (
	"os"
	"strings"
	"testing"
)

// TestPermissionsDocMatchesMatrix keeps docs/permissions.md in step with the matrix.
func TestPermissionsDocMatchesMatrix(t *testing.T) {
	b, err := os.ReadFile("../../docs/permissions.md")
	if err != nil {
		t.Fatal(err)
	}
	rows := map[string][]string{}
	for _, line := range strings.Split(string(b), "\n") {
		cells := strings.Split(line, "|")
		if len(cells) == len(Permissions)+3 {
			for i := range cells {
				cells[i] = strings.TrimSpace(cells[i])
			}
			rows[cells[1]] = cells[2 : len(cells)-1]
		}
	}
	header := rows["role"]
	for i, p := range Permissions {
		if i >= len(header) || header[i] != string(p) {
			t.Fatalf("docs/permissions.md column %d is %v, want %s", i, header, p)
		}
	}
	for _, r := range Roles {
		row, ok := rows[string(r)]
		if !ok {
			t.Errorf("docs/permissions.md has no row for %s", r)
			continue
		}
		for i, p := range Permissions {
			if got := row[i] == "✓"; got != r.Has(p) {
				t.Errorf("docs/permissions.md says %s %s = %v; the matrix says %v", r, p, got, r.Has(p))
			}
		}
	}
}
