package smm

import (
	"context"
	"errors"
	"strings"
	"sync"
)

// pollSpec is how one read action is asked for many ids: in batches of
// up to maxBatch (orders=, refills=) where the panel takes them, else one
// id a request (order=, refill=).
type pollSpec[R any] struct {
	action  string
	feature Feature
	batch   func(ctx context.Context, ids []int64) (map[int64]R, error)
	// single asks for one id; its error is for the request as a whole (a
	// refusal of that id is in R).
	single       func(ctx context.Context, id int64) (R, error)
	bad, missing func(id int64) R
}

// poll asks for every id of ids, keeping up to c.inFlight requests in
// flight and each key within its pace. An id not above zero gets bad(id)
// without a request, one the reply left out missing(id). The first time,
// it learns whether the panel takes batches. On an error the map holds
// the results of the requests done; the error is the first request's
// that failed as a whole, and no request starts after it.
func poll[R any](ctx context.Context, c *Client, key string, ids []int64, sp pollSpec[R]) (map[int64]R, error) {
	out, valid := distinctIDs(ids, sp.bad)
	if len(valid) == 0 {
		return out, nil
	}
	if err := c.pace.held(key, sp.action); err != nil {
		return out, err
	}
	if known, _ := c.Supports(sp.feature); !known {
		n, err := learnBatch(ctx, c, key, valid[:min(maxBatch, len(valid))], sp, out)
		if err != nil {
			return out, err
		}
		valid = valid[n:]
	}
	size, do := maxBatch, sp.batch
	if _, ok := c.Supports(sp.feature); !ok {
		size = 1
		do = func(ctx context.Context, ids []int64) (map[int64]R, error) {
			r, err := sp.single(ctx, ids[0])
			if err != nil {
				return nil, err
			}
			return map[int64]R{ids[0]: r}, nil
		}
	}
	return out, inParallel(ctx, c, key, chunk(valid, size), size == 1, do, sp.missing, out)
}

// learnBatch asks for the first chunk in one batch request. A panel that
// refuses it as a whole while it answers the first id alone does not take
// batches: that is learnt. It returns how many leading ids of chunk have
// their results in out.
func learnBatch[R any](ctx context.Context, c *Client, key string, ids []int64, sp pollSpec[R], out map[int64]R) (int, error) {
	if err := c.pace.wait(ctx, key, false); err != nil {
		return 0, err
	}
	got, err := sp.batch(ctx, ids)
	ignored := err == nil && len(ids) > 1 && !answersAny(got, ids)
	if err == nil && !ignored {
		c.learn(sp.feature, true)
		merge(out, ids, got, sp.missing)
		return len(ids), nil
	}
	if !ignored && !batchRefused(err) {
		return 0, err
	}
	if werr := c.pace.wait(ctx, key, true); werr != nil {
		return 0, werr
	}
	r, serr := sp.single(ctx, ids[0])
	if serr != nil && ignored {
		merge(out, ids, got, sp.missing) // the batch's answer stands
		return len(ids), nil
	}
	if serr != nil {
		return 0, err // the batch's refusal stands
	}
	c.learn(sp.feature, false)
	out[ids[0]] = r
	return 1, nil
}

// answersAny reports whether a batch reply answers any of ids: a panel
// that ignores orders= may answer {} or [].
func answersAny[R any](got map[int64]R, ids []int64) bool {
	for _, id := range ids {
		if _, ok := got[id]; ok {
			return true
		}
	}
	return false
}

// batchRefused reports whether a batch request's failure may mean the
// panel does not take several ids: its error reply, or a reply of the
// wrong shape (a single status for a batch), not a key, budget or
// transport failure.
func batchRefused(err error) bool {
	if errors.Is(err, ErrRateLimited) || errors.Is(err, ErrInvalidKey) {
		return false
	}
	var ae *APIError
	if errors.As(err, &ae) {
		return ae.StatusCode < 500
	}
	var re *ResponseError
	return errors.As(err, &re) && re.StatusCode < 300 && strings.HasPrefix(re.Reason, "unexpected reply")
}

// inParallel runs do for each chunk, up to c.inFlight at once, each
// after a token of key's pace (see pacer.wait for paced). After a failure
// no chunk starts; those in flight finish and are kept.
func inParallel[R any](ctx context.Context, c *Client, key string, chunks [][]int64, paced bool,
	do func(context.Context, []int64) (map[int64]R, error), missing func(int64) R, out map[int64]R) error {
	stopCtx, stop := context.WithCancel(ctx)
	defer stop()
	var (
		mu    sync.Mutex
		first error
		next  int
		wg    sync.WaitGroup
	)
	take := func() ([]int64, bool) {
		mu.Lock()
		defer mu.Unlock()
		if first != nil || next == len(chunks) {
			return nil, false
		}
		next++
		return chunks[next-1], true
	}
	for range min(c.inFlight, len(chunks)) {
		wg.Go(func() {
			for ids, ok := take(); ok; ids, ok = take() {
				err := c.pace.wait(stopCtx, key, paced)
				var got map[int64]R
				if err == nil {
					got, err = do(ctx, ids)
				}
				mu.Lock()
				if err != nil && first == nil {
					first = err
					stop()
				} else if err == nil {
					merge(out, ids, got, missing)
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	return first
}

// distinctIDs splits ids into results for bad ones and the distinct
// valid ones, in order.
func distinctIDs[R any](ids []int64, bad func(int64) R) (map[int64]R, []int64) {
	out := make(map[int64]R, len(ids))
	seen := make(map[int64]bool, len(ids))
	valid := make([]int64, 0, len(ids))
	for _, id := range ids {
		switch {
		case seen[id]:
		case id <= 0:
			out[id] = bad(id)
		default:
			valid = append(valid, id)
		}
		seen[id] = true
	}
	return out, valid
}

// chunk cuts ids into runs of at most size.
func chunk(ids []int64, size int) [][]int64 {
	var out [][]int64
	for len(ids) > 0 {
		n := min(size, len(ids))
		out = append(out, ids[:n:n])
		ids = ids[n:]
	}
	return out
}

// merge puts a chunk's results in out, missing(id) for those left out.
func merge[R any](out map[int64]R, ids []int64, got map[int64]R, missing func(int64) R) {
	for _, id := range ids {
		r, ok := got[id]
		if !ok {
			r = missing(id)
		}
		out[id] = r
	}
}
