package keyedlock

import (
	"sync"
	"testing"
)

// Holders of one key run one at a time, and released keys are forgotten.
func TestLock(t *testing.T) {
	var s Set
	var wg sync.WaitGroup
	counter, inside := 0, 0
	for i := 0; i < 50; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			unlock := s.Lock("k")
			inside++
			if inside != 1 {
				t.Error("two holders of one key at once")
			}
			counter++
			inside--
			unlock()
		}()
	}
	wg.Wait()
	if counter != 50 {
		t.Fatalf("counter = %d", counter)
	}
	unlockA := s.Lock("a")
	unlockB := s.Lock("b") // another key does not wait
	unlockB()
	unlockA()
	if len(s.m) != 0 {
		t.Fatalf("%d keys kept after release", len(s.m))
	}
}
