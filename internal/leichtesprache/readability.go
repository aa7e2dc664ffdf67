package leichtesprache

import (
	"unicode/utf8"
)

// Figures are the readability counts and scores of one text.
// LongWords are words of more than 6 letters (LIX, Wiener Sachtextformel),
// Monosyllables words of 1 syllable, Polysyllables words of 3 or more.
type Figures struct {
	Words, Sentences, Syllables, LongWords, Monosyllables, Polysyllables int

	WordsPerSentence, FleschAmstad, WSTF1, WSTF2, WSTF3, WSTF4, LIX float64
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// FleschAmstad is Flesch reading ease adapted to German by Amstad (1978):
// 180 − words per sentence − 58.5 × syllables per word. Higher is easier.
func FleschAmstad(words, sentences, syllables int) float64 {
	if words == 0 || sentences == 0 {
		return 0
	}
	return 180 - ratio(words, sentences) - 58.5*ratio(syllables, words)
}

// The Wiener Sachtextformeln (Bamberger & Vanecek 1984) give a school grade
// (4 = easy, 15 = very hard) from MS (% words of 3+ syllables), SL (words per
// sentence), IW (% words of more than 6 letters), ES (% words of 1 syllable).

// WSTF1 = 0.1935·MS + 0.1672·SL + 0.1297·IW − 0.0327·ES − 0.875.
func WSTF1(words, sentences, polysyllables, longWords, monosyllables int) float64 {
	if words == 0 || sentences == 0 {
		return 0
	}
	ms, sl := 100*ratio(polysyllables, words), ratio(words, sentences)
	iw, es := 100*ratio(longWords, words), 100*ratio(monosyllables, words)
	return 0.1935*ms + 0.1672*sl + 0.1297*iw - 0.0327*es - 0.875
}

// WSTF2 = 0.2007·MS + 0.1682·SL + 0.1373·IW − 2.779.
func WSTF2(words, sentences, polysyllables, longWords int) float64 {
	if words == 0 || sentences == 0 {
		return 0
	}
	ms, sl, iw := 100*ratio(polysyllables, words), ratio(words, sentences), 100*ratio(longWords, words)
	return 0.2007*ms + 0.1682*sl + 0.1373*iw - 2.779
}

// WSTF3 = 0.2963·MS + 0.1905·SL − 1.1144.
func WSTF3(words, sentences, polysyllables int) float64 {
	if words == 0 || sentences == 0 {
		return 0
	}
	return 0.2963*100*ratio(polysyllables, words) + 0.1905*ratio(words, sentences) - 1.1144
}

// WSTF4 = 0.2744·MS + 0.2656·SL − 1.693.
func WSTF4(words, sentences, polysyllables int) float64 {
	if words == 0 || sentences == 0 {
		return 0
	}
	return 0.2744*100*ratio(polysyllables, words) + 0.2656*ratio(words, sentences) - 1.693
}

// LIX (Björnsson) = words per sentence + 100 × long words / words.
func LIX(words, sentences, longWords int) float64 {
	if words == 0 || sentences == 0 {
		return 0
	}
	return ratio(words, sentences) + 100*ratio(longWords, words)
}

// fill computes the scores from the counts.
func (f *Figures) fill() {
	f.WordsPerSentence = ratio(f.Words, f.Sentences)
	f.FleschAmstad = FleschAmstad(f.Words, f.Sentences, f.Syllables)
	f.WSTF1 = WSTF1(f.Words, f.Sentences, f.Polysyllables, f.LongWords, f.Monosyllables)
	f.WSTF2 = WSTF2(f.Words, f.Sentences, f.Polysyllables, f.LongWords)
	f.WSTF3 = WSTF3(f.Words, f.Sentences, f.Polysyllables)
	f.WSTF4 = WSTF4(f.Words, f.Sentences, f.Polysyllables)
	f.LIX = LIX(f.Words, f.Sentences, f.LongWords)
}

func lowerRune(r rune) rune {
	switch {
	case r >= 'A' && r <= 'Z':
		return r + 32
	case r >= 0xC0 && r <= 0xDE && r != 0xD7:
		return r + 32
	}
	return r
}

func isVowel(r rune) bool {
	switch r {
	case 'a', 'e', 'i', 'o', 'u', 'y', 'ä', 'ö', 'ü', 'é', 'è', 'ê', 'á', 'à', 'â', 'í', 'ó', 'ô', 'ú':
		return true
	}
	return false
}

// nucleus reports whether two adjacent vowels are spoken as one syllable
// (diphthongs and long vowels); other pairs are a hiatus: Si-tu-a-ti-on.
func nucleus(a, b rune) bool {
	switch a {
	case 'a':
		return b == 'i' || b == 'u' || b == 'y' || b == 'a'
	case 'e':
		return b == 'i' || b == 'u' || b == 'y' || b == 'e'
	case 'ä':
		return b == 'u'
	case 'i':
		return b == 'e'
	case 'o':
		return b == 'o' || b == 'i' || b == 'u'
	}
	return false
}

// Syllables counts the syllables of a German word: each vowel group is one
// syllable, but a group splits where two vowels do not form a diphthong or
// long vowel (be-an-tra-gen, The-a-ter), "u" after "q" is no vowel, and a
// final "-ien" or "-lie" is two syllables (Fe-ri-en, Fa-mi-li-e).
// A word without vowels (an abbreviation, a number) has 1.
func Syllables(word string) int {
	var buf [64]rune
	rs := buf[:0]
	for _, r := range word {
		rs = append(rs, lowerRune(r))
	}
	n := 0
	for i := 0; i < len(rs); {
		if !isVowel(rs[i]) || (rs[i] == 'u' && i > 0 && rs[i-1] == 'q') {
			i++
			continue
		}
		j := i
		for j < len(rs) && isVowel(rs[j]) {
			j++
		}
		// vowel group rs[i:j]
		for k := i; k < j; {
			n++
			if k+1 < j && nucleus(rs[k], rs[k+1]) && !hiatusIE(rs, k, j) {
				k += 2
			} else {
				k++
			}
		}
		i = j
	}
	if n == 0 {
		return 1
	}
	return n
}

// hiatusIE reports whether "ie" at rs[k] is spoken as two vowels: at the end
// of a word before "n" (Ferien, Linien) or as "-lie" (Familie).
func hiatusIE(rs []rune, k, groupEnd int) bool {
	if rs[k] != 'i' || rs[k+1] != 'e' || k+2 != groupEnd {
		return false
	}
	rest := rs[groupEnd:]
	if len(rest) == 1 && rest[0] == 'n' && k > 1 {
		return true
	}
	return len(rest) == 0 && k > 1 && rs[k-1] == 'l'
}

// letterCount counts letters, ignoring hyphens, dots and digits.
func letterCount(b []byte) int {
	n := 0
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		if isLetter(r) {
			n++
		}
		b = b[size:]
	}
	return n
}
