package cache

import (
	"errors"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unsafe"
)

func strSize(_, s string) int { return len(s) }

func TestBytesBoundWhateverTheKeys(t *testing.T) {
	c := New[string](64<<10, time.Hour, strSize)
	for i := range 10_000 {
		c.Set(fmt.Sprintf("key-%d", i), string(make([]byte, 1000)))
		if c.Bytes() > 64<<10 {
			t.Fatalf("after %d keys the cache holds %d bytes, over its 64 KiB budget", i+1, c.Bytes())
		}
	}
	if n := c.Len(); n < 40 || n > 64 {
		t.Errorf("%d entries of ~1.2 KB kept in 64 KiB", n)
	}
	if _, ok := c.Get("key-9999"); !ok {
		t.Error("the newest entry was evicted")
	}
	if _, ok := c.Get("key-0"); ok {
		t.Error("the oldest entry is still there")
	}
}

func TestLeastRecentlyUsedGoesFirst(t *testing.T) {
	c := New[string](3*(entryOverhead+2), time.Hour, strSize)
	c.Set("a", "1")
	c.Set("b", "2")
	c.Set("c", "3")
	c.Get("a") // a is now the most recent
	c.Set("d", "4")
	if _, ok := c.Get("b"); ok {
		t.Error("b, the least recently used, should have gone")
	}
	for _, k := range []string{"a", "c", "d"} {
		if _, ok := c.Get(k); !ok {
			t.Errorf("%s evicted", k)
		}
	}
}

func TestTooBigIsNotKept(t *testing.T) {
	c := New[string](1000, time.Hour, strSize)
	c.Set("small", "x")
	c.Set("big", string(make([]byte, 2000)))
	if _, ok := c.Get("big"); ok {
		t.Error("a value over the budget was kept")
	}
	if _, ok := c.Get("small"); !ok {
		t.Error("a value over the budget evicted the others")
	}
}

func TestAgeBound(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	c := New[string](1<<20, time.Minute, strSize)
	c.now = func() time.Time { return now }
	c.Set("k", "v")
	now = now.Add(59 * time.Second)
	if _, ok := c.Get("k"); !ok {
		t.Fatal("expired early")
	}
	now = now.Add(time.Second)
	if _, ok := c.Get("k"); ok {
		t.Fatal("served after its TTL")
	}
	if c.Len() != 0 || c.Bytes() != 0 {
		t.Errorf("expired entry still accounted: %d entries, %d bytes", c.Len(), c.Bytes())
	}
	calls := 0
	load := func() (string, error) { calls++; return "v" + strconv.Itoa(calls), nil }
	v1, _ := c.Load("k", load)
	now = now.Add(2 * time.Minute)
	v2, _ := c.Load("k", load)
	if v1 == v2 || calls != 2 {
		t.Errorf("Load served %q then %q with %d computations", v1, v2, calls)
	}
}

func TestLoadRunsOneComputation(t *testing.T) {
	c := New[int](1<<20, time.Hour, func(string, int) int { return 8 })
	var calls atomic.Int32
	release := make(chan struct{})
	var wg sync.WaitGroup
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v, err := c.Load("k", func() (int, error) {
				calls.Add(1)
				<-release
				return 42, nil
			})
			if v != 42 || err != nil {
				t.Errorf("Load = %d, %v", v, err)
			}
		}()
	}
	time.Sleep(50 * time.Millisecond)
	close(release)
	wg.Wait()
	if n := calls.Load(); n != 1 {
		t.Errorf("%d computations for one key", n)
	}
}

func TestLoadErrorsAreNotKept(t *testing.T) {
	c := New[int](1<<20, time.Hour, func(string, int) int { return 8 })
	boom := errors.New("boom")
	if _, err := c.Load("k", func() (int, error) { return 0, boom }); err != boom {
		t.Fatalf("err = %v", err)
	}
	v, err := c.Load("k", func() (int, error) { return 7, nil })
	if v != 7 || err != nil {
		t.Fatalf("after an error: %d, %v", v, err)
	}
}

func TestLoadPanicFreesTheKey(t *testing.T) {
	c := New[int](1<<20, time.Hour, func(string, int) int { return 8 })
	func() {
		defer func() { _ = recover() }()
		_, _ = c.Load("k", func() (int, error) { panic("boom") })
	}()
	v, err := c.Load("k", func() (int, error) { return 7, nil })
	if v != 7 || err != nil {
		t.Fatalf("after a panic: %d, %v", v, err)
	}
}

// TestKeysFromReusedBuffers stores keys that alias a buffer overwritten
// right after, as Fiber's request strings do once a handler returns: the
// cache must keep its own copy, under concurrency (run with -race).
func TestKeysFromReusedBuffers(t *testing.T) {
	c := New[string](1<<20, time.Hour, strSize)
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			buf := make([]byte, 16)
			for i := range 2000 {
				want := fmt.Sprintf("w%d-%08d", w, i%300)
				n := copy(buf, want)
				key := unsafe.String(&buf[0], n) // aliases buf, like c.Query
				v, err := c.Load(key, func() (string, error) { return want, nil })
				if err != nil || v != want {
					t.Errorf("Load(%q) = %q, %v", want, v, err)
					return
				}
				c.Set(key, want)
				copy(buf, "XXXXXXXXXXXXXXXX") // the buffer is reused
			}
		}()
	}
	wg.Wait()
	for w := range 8 {
		for i := range 300 {
			k := fmt.Sprintf("w%d-%08d", w, i)
			if v, ok := c.Get(k); ok && v != k {
				t.Fatalf("%s holds %s", k, v)
			}
		}
	}
}
