package store_test

import (
	"os"
	"testing"

	"github.com/birge-org/birge/internal/birge"
)

func TestMain(m *testing.M) {
	birge.FastPasswordsForTests()
	os.Exit(m.Run())
}
