package leichtesprache

import (
	"cmp"
	"math"
	"slices"
)

// fitLogisticWeighted fits a logistic regression with an L2 penalty (on
// the standardised weights, not the intercept) by Newton's method, row i
// weighed by sw[i] (nil: all 1), and returns the weights on the raw scale
// of x, and the intercept.
func fitLogisticWeighted(x [][]float64, y, sw []float64, l2 float64) (w []float64, b float64) {
	n, k := len(x), len(x[0])
	mu, sd := standardise(x)
	z := func(i, j int) float64 { return (x[i][j] - mu[j]) / sd[j] }
	beta := make([]float64, k+1) // beta[k] is the intercept
	for iter := 0; iter < 50; iter++ {
		g := make([]float64, k+1)
		h := make([][]float64, k+1)
		for j := range h {
			h[j] = make([]float64, k+1)
		}
		row := make([]float64, k+1)
		for i := 0; i < n; i++ {
			for j := 0; j < k; j++ {
				row[j] = z(i, j)
			}
			row[k] = 1
			eta := 0.0
			for j := range row {
				eta += beta[j] * row[j]
			}
			p := 1 / (1 + math.Exp(-eta))
			wi := 1.0
			if sw != nil {
				wi = sw[i]
			}
			for a := range row {
				g[a] += wi * (y[i] - p) * row[a]
				for c := range row {
					h[a][c] += wi * p * (1 - p) * row[a] * row[c]
				}
			}
		}
		for j := 0; j < k; j++ {
			g[j] -= l2 * beta[j]
			h[j][j] += l2
		}
		step := solve(h, g)
		max := 0.0
		for j := range beta {
			beta[j] += step[j]
			max = math.Max(max, math.Abs(step[j]))
		}
		if max < 1e-9 {
			break
		}
	}
	return unstandardise(beta, mu, sd)
}

func standardise(x [][]float64) (mu, sd []float64) {
	n, k := len(x), len(x[0])
	mu, sd = make([]float64, k), make([]float64, k)
	for j := 0; j < k; j++ {
		for i := 0; i < n; i++ {
			mu[j] += x[i][j]
		}
		mu[j] /= float64(n)
		for i := 0; i < n; i++ {
			sd[j] += (x[i][j] - mu[j]) * (x[i][j] - mu[j])
		}
		sd[j] = math.Sqrt(sd[j] / float64(n))
		if sd[j] == 0 {
			sd[j] = 1
		}
	}
	return mu, sd
}

func unstandardise(beta, mu, sd []float64) (w []float64, b float64) {
	k := len(mu)
	w = make([]float64, k)
	b = beta[k]
	for j := 0; j < k; j++ {
		w[j] = beta[j] / sd[j]
		b -= w[j] * mu[j]
	}
	return w, b
}

// solve solves a·x = y by Gaussian elimination with partial pivoting.
func solve(a [][]float64, y []float64) []float64 {
	n := len(y)
	m := make([][]float64, n)
	for i := range m {
		m[i] = append(append([]float64{}, a[i]...), y[i])
	}
	for c := 0; c < n; c++ {
		p := c
		for r := c + 1; r < n; r++ {
			if math.Abs(m[r][c]) > math.Abs(m[p][c]) {
				p = r
			}
		}
		m[c], m[p] = m[p], m[c]
		if m[c][c] == 0 {
			continue
		}
		for r := c + 1; r < n; r++ {
			f := m[r][c] / m[c][c]
			for k := c; k <= n; k++ {
				m[r][k] -= f * m[c][k]
			}
		}
	}
	x := make([]float64, n)
	for r := n - 1; r >= 0; r-- {
		if m[r][r] == 0 {
			continue
		}
		s := m[r][n]
		for k := r + 1; k < n; k++ {
			s -= m[r][k] * x[k]
		}
		x[r] = s / m[r][r]
	}
	return x
}

func dot(w, x []float64) float64 {
	s := 0.0
	for j := range w {
		s += w[j] * x[j]
	}
	return s
}

// prf is precision, recall and F1 of predictions against gold.
func prf(pred, gold []bool) (p, r, f float64) {
	var tp, fp, fn float64
	for i := range pred {
		switch {
		case pred[i] && gold[i]:
			tp++
		case pred[i]:
			fp++
		case gold[i]:
			fn++
		}
	}
	if tp+fp > 0 {
		p = tp / (tp + fp)
	}
	if tp+fn > 0 {
		r = tp / (tp + fn)
	}
	if p+r > 0 {
		f = 2 * p * r / (p + r)
	}
	return p, r, f
}

// Boosting settings of the statement models, chosen by cross-validation
// on the development part (20 to 200 trees, depth 1 to 3, steps 0.1 to
// 0.3 did as well or worse): few shallow trees, each leaf with at least
// boostMinLeaf sentences and shrunk by boostLambda, so that no tree learns
// single texts.
const (
	boostRounds  = 20
	boostDepth   = 3
	boostStep    = 0.3
	boostMinLeaf = 20
	boostLambda  = 1.0
)

// fitBoosted fits boosted trees for logistic loss (Newton steps: each leaf
// is sum of gradients / (sum of Hessians + boostLambda)); gain[j] adds up
// the loss reduction of the splits on feature j.
func fitBoosted(x [][]float64, y []float64, gain []float64) BoostedTrees {
	mean := 0.0
	for _, v := range y {
		mean += v
	}
	mean /= float64(len(y))
	m := BoostedTrees{Intercept: math.Round(math.Log(mean/(1-mean))*1e4) / 1e4}
	f := make([]float64, len(y))
	for i := range f {
		f[i] = m.Intercept
	}
	g, h := make([]float64, len(y)), make([]float64, len(y))
	idx := make([]int, len(y))
	for i := range idx {
		idx[i] = i
	}
	for range boostRounds {
		for i := range y {
			p := 1 / (1 + math.Exp(-f[i]))
			g[i], h[i] = y[i]-p, p*(1-p)
		}
		t := buildTree(x, g, h, idx, boostDepth, gain)
		m.Trees = append(m.Trees, t)
		for i := range y {
			f[i] += evalTree(t, x[i])
		}
	}
	if _, err := m.compile(); err != nil {
		panic(err)
	}
	return m
}

func evalTree(t *Tree, x []float64) float64 {
	for t.Feature != "" {
		if x[slices.Index(statementFeatures[:], t.Feature)] < t.Below {
			t = t.Yes
		} else {
			t = t.No
		}
	}
	return t.Value
}

func buildTree(x [][]float64, g, h []float64, idx []int, depth int, gain []float64) *Tree {
	sg, sh := 0.0, 0.0
	for _, i := range idx {
		sg, sh = sg+g[i], sh+h[i]
	}
	leaf := &Tree{Value: math.Round(boostStep*sg/(sh+boostLambda)*1e4) / 1e4}
	if depth == 0 || len(idx) < 2*boostMinLeaf {
		return leaf
	}
	bestGain, bestF, bestCut := 0.0, -1, 0.0
	parent := sg * sg / (sh + boostLambda)
	sorted := make([]int, len(idx))
	for f := range x[0] {
		copy(sorted, idx)
		slices.SortStableFunc(sorted, func(a, b int) int { return cmp.Compare(x[a][f], x[b][f]) })
		lg, lh := 0.0, 0.0
		for k := 0; k < len(sorted)-1; k++ {
			i := sorted[k]
			lg, lh = lg+g[i], lh+h[i]
			if x[sorted[k+1]][f] == x[i][f] || k+1 < boostMinLeaf || len(sorted)-k-1 < boostMinLeaf {
				continue
			}
			rg, rh := sg-lg, sh-lh
			if gn := lg*lg/(lh+boostLambda) + rg*rg/(rh+boostLambda) - parent; gn > bestGain {
				// The cut is rounded for the file; rounding must not move
				// it onto a value.
				cut := (x[i][f] + x[sorted[k+1]][f]) / 2
				if r := math.Round(cut*1e4) / 1e4; r > x[i][f] && r <= x[sorted[k+1]][f] {
					cut = r
				}
				bestGain, bestF, bestCut = gn, f, cut
			}
		}
	}
	if bestF < 0 {
		return leaf
	}
	gain[bestF] += bestGain
	var yes, no []int
	for _, i := range idx {
		if x[i][bestF] < bestCut {
			yes = append(yes, i)
		} else {
			no = append(no, i)
		}
	}
	return &Tree{Feature: statementFeatures[bestF], Below: bestCut,
		Yes: buildTree(x, g, h, yes, depth-1, gain), No: buildTree(x, g, h, no, depth-1, gain)}
}
