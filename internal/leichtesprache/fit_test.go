package leichtesprache

import (
	"math"
)

// fitLogistic fits a logistic regression with an L2 penalty (on the
// standardised weights, not the intercept) by Newton's method and returns
// the weights on the raw scale of x, and the intercept.
func fitLogistic(x [][]float64, y []float64, l2 float64) (w []float64, b float64) {
	return fitLogisticWeighted(x, y, nil, l2)
}

// fitLogisticWeighted weighs row i by sw[i] (nil: all 1).
func fitLogisticWeighted(x [][]float64, y, sw []float64, l2 float64) (w []float64, b float64) {
	pen := make([]float64, len(x[0]))
	for j := range pen {
		pen[j] = l2
	}
	return fitLogisticPenalised(x, y, sw, pen)
}

// fitLogisticPenalised gives feature j its own penalty pen[j] (on the
// standardised scale): the word weights need a stronger one than the few
// general features.
func fitLogisticPenalised(x [][]float64, y, sw, pen []float64) (w []float64, b float64) {
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
			g[j] -= pen[j] * beta[j]
			h[j][j] += pen[j]
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
