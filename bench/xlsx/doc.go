// Package xlsxbench measures Birge's own XLSX reader and writer (internal/xlsx) against
// excelize on the same files: time, allocations and peak heap, on a people file of
// 100,000 rows and on the hostile set. It is a module of its own so that the program
// never depends on excelize; decision 0015 has the figures and the choice they led to.
//
//	cd bench/xlsx && go test -run Compare -v    # the table for the decision record
//	cd bench/xlsx && go test -bench . -count 5  # time and allocations
package xlsxbench
