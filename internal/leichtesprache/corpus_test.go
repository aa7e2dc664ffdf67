package leichtesprache

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// The labelled corpora stay outside the repository (see their README):
// ../shared/corpus from the repository root, or the folder in
// $BUDGETSITE_KORPUS.
func corpusDir() string {
	if d := os.Getenv("BUDGETSITE_KORPUS"); d != "" {
		return d
	}
	return filepath.Join("..", "..", "..", "shared", "corpus")
}

type corpusRow struct {
	ID            string `json:"id"`
	Level         string `json:"level"`
	Text          string `json:"text"`
	NumStatements int    `json:"num_statements"`
	Topic         string `json:"topic"`
}

// readCorpus reads one JSON Lines file of the corpus; a missing file skips
// the calling test or benchmark and says which file is missing.
func readCorpus(tb testing.TB, name string) []corpusRow {
	path := filepath.Join(corpusDir(), name)
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		// Printed as well as logged: go test -bench hides the log of a
		// skipped benchmark unless -v is given.
		msg := fmt.Sprintf("KORPUS FEHLT: %s gibt es nicht (Ordner mit $BUDGETSITE_KORPUS setzen); %s misst nichts", path, tb.Name())
		fmt.Println(msg)
		tb.Skip(msg)
	}
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var rows []corpusRow
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for line := 1; sc.Scan(); line++ {
		var r corpusRow
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			tb.Fatalf("%s:%d: %v", path, line, err)
		}
		rows = append(rows, r)
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	return rows
}

func loadCorpus(tb testing.TB) []corpusRow { return readCorpus(tb, "sample.jsonl") }

// heldOut is our own split of stage-train.jsonl: every sentence of a topic
// (one source text) falls on the same side, so no text is seen half in
// development and half in the check; about a fifth of the topics are held
// out. Nothing is tuned on them.
func heldOut(topic string) bool {
	h := fnv.New32a()
	h.Write([]byte(topic))
	return h.Sum32()%5 == 0
}

// stageSplit returns the development and held-out parts of StaGE.
func stageSplit(tb testing.TB) (dev, held []corpusRow) {
	for _, r := range readCorpus(tb, "stage-train.jsonl") {
		if heldOut(r.Topic) {
			held = append(held, r)
		} else {
			dev = append(dev, r)
		}
	}
	return dev, held
}

// topicSamples draws n samples of whole topics with replacement, each of
// 1/divisor of the topics, and returns the row indices of each sample in
// the order drawn; the same seed draws the same samples.
func topicSamples(topic []string, n, divisor int, seed uint64) [][]int {
	byTopic := map[string][]int{}
	var names []string
	for i, tp := range topic {
		if byTopic[tp] == nil {
			names = append(names, tp)
		}
		byTopic[tp] = append(byTopic[tp], i)
	}
	slices.Sort(names)
	rng := rand.New(rand.NewPCG(33429, seed))
	samples := make([][]int, n)
	for b := range samples {
		for range len(names) / divisor {
			samples[b] = append(samples[b], byTopic[names[rng.IntN(len(names))]]...)
		}
	}
	return samples
}
