package browsertest

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// treeCPU is the CPU time (user and system) the process pid and all its
// descendants used so far, children that ended included, read from /proc.
// Outside Linux it is 0. Load-independent, it says what a change to the
// browser tests costs better than their wall time on a busy machine.
func treeCPU(pid int) time.Duration {
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	parent := map[int]int{}
	ticks := map[int]int64{}
	for _, f := range stats {
		b, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		// pid (comm) state ppid … utime stime cutime cstime: fields 14–17.
		s := string(b)
		end := strings.LastIndexByte(s, ')')
		if end < 0 {
			continue
		}
		fields := strings.Fields(s[end+1:])
		if len(fields) < 15 {
			continue
		}
		p, _ := strconv.Atoi(strings.TrimSpace(s[:strings.IndexByte(s, ' ')]))
		pp, _ := strconv.Atoi(fields[1])
		var sum int64
		for _, x := range fields[11:15] {
			n, _ := strconv.ParseInt(x, 10, 64)
			sum += n
		}
		parent[p], ticks[p] = pp, sum
	}
	var total int64
	for p, n := range ticks {
		for q := p; q > 1; q = parent[q] {
			if q == pid {
				total += n
				break
			}
		}
	}
	// USER_HZ is 100 on every Linux this runs on.
	return time.Duration(total) * 10 * time.Millisecond
}
