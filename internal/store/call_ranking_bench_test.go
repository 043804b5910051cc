package store_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/birge-org/birge/internal/testenv"
)

// BenchmarkCallRankingAtSize measures the budget of issue 13: ranking a call of 10,000
// applications with 3 reviews each ≤ 200 ms, on SQLite, with the median reported.
//
//	go test ./internal/store -run - -bench CallRankingAtSize -benchtime 20x
func BenchmarkCallRankingAtSize(b *testing.B) {
	st := testenv.Open(b, testenv.Database{Name: "sqlite", DataDir: b.TempDir()})
	fx := newReviewFixture(b, st, 3)
	ctx := context.Background()
	ids := make([]int64, len(fx.reviewers))
	for i, r := range fx.reviewers {
		ids[i] = r.UserID
	}
	if err := st.InsertReviewedApplications(ctx, fx.call, 10_000, ids); err != nil {
		b.Fatal(err)
	}
	var took []time.Duration
	for b.Loop() {
		start := time.Now()
		ranked, err := st.Calls.Ranking(ctx, fx.grants, fx.call.ID)
		took = append(took, time.Since(start))
		if err != nil || len(ranked) != 10_000 || ranked[0].Reviews != 3 {
			b.Fatalf("%d ranked, %v", len(ranked), err)
		}
	}
	slices.Sort(took)
	b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "ms-median")
}
