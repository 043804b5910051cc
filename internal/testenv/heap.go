package testenv

import (
	"runtime"
	"runtime/debug"
	"time"
)

// PeakHeap runs f and returns by how much the heap in use grew at most meanwhile, sampled
// every 2 ms. The collector runs at GOGC=20, so that what is measured is what f keeps,
// give or take a fifth, rather than garbage waiting for a collection.
func PeakHeap(f func()) int64 {
	defer debug.SetGCPercent(debug.SetGCPercent(20))
	var m runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&m)
	base, peak := int64(m.HeapInuse), int64(0)
	done := make(chan bool)
	go func() {
		for {
			select {
			case <-done:
				done <- true
				return
			case <-time.After(2 * time.Millisecond):
				runtime.ReadMemStats(&m)
				peak = max(peak, int64(m.HeapInuse)-base)
			}
		}
	}()
	f()
	done <- true
	<-done
	return peak
}
