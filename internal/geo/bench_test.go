package geo

import (
	"context"
	"math/rand/v2"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"github.com/repere-spie/repere/internal/directory"
)

// Run with: go test ./internal/geo/ -run x -bench . -benchtime 2000x
// (BenchmarkLoadDir is better with -benchtime 3x).

// BenchmarkLoadDir loads the full snapshot; heap-MiB is what the geography
// and its gazetteer keep in memory.
func BenchmarkLoadDir(b *testing.B) {
	dir := Dir(geodataDir(b))
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	var g *directory.Geography
	for b.Loop() {
		var err error
		if g, err = Load(context.Background(), dir); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	z := NewGazetteer(g)
	runtime.GC()
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/(1<<20), "heap-MiB")
	runtime.KeepAlive(z)
}

// completeQueries are 1 to 10 character prefixes of real names and postal
// codes, typed the way people do.
func completeQueries(b *testing.B) []string {
	g, _ := loadSnapshot(b)
	r := rand.New(rand.NewPCG(1, 2))
	qs := []string{"s", "l", "sa", "st", "saint", "st etienne", "chatel", "86", "860", "7", "75", "la ro", "etienne", "b", "ma"}
	for len(qs) < 1000 {
		c := g.Communes[r.IntN(len(g.Communes))]
		text := c.Name
		if r.IntN(4) == 0 && len(c.PostalCodes) > 0 {
			text = c.PostalCodes[0]
		}
		runes := []rune(text)
		qs = append(qs, string(runes[:1+r.IntN(min(10, len(runes)))]))
	}
	return qs
}

func BenchmarkComplete(b *testing.B) {
	_, z := loadSnapshot(b)
	qs := completeQueries(b)
	times := make([]time.Duration, 0, b.N)
	i := 0
	for b.Loop() {
		start := time.Now()
		z.Complete(qs[i%len(qs)], 10)
		times = append(times, time.Since(start))
		i++
	}
	slices.Sort(times)
	b.ReportMetric(float64(times[len(times)*95/100].Microseconds()), "p95-µs")
	b.ReportMetric(float64(times[len(times)-1].Microseconds()), "max-µs")
}

func BenchmarkAt(b *testing.B) {
	g, z := loadSnapshot(b)
	var pts []orb.Point
	for _, c := range g.Communes {
		if c.Center != nil {
			pts = append(pts, *c.Center)
		}
	}
	rand.New(rand.NewPCG(3, 4)).Shuffle(len(pts), func(i, j int) { pts[i], pts[j] = pts[j], pts[i] })
	i := 0
	for b.Loop() {
		z.At(pts[i%len(pts)])
		i++
	}
}

func BenchmarkCommune(b *testing.B) {
	g, z := loadSnapshot(b)
	codes := []string{"75115", "2A004"}
	for _, c := range g.Communes[:1000] {
		codes = append(codes, c.Code)
	}
	i := 0
	for b.Loop() {
		z.Commune(codes[i%len(codes)])
		i++
	}
}
