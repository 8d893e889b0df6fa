package account

import (
	_ "embed"
	"slices"
	"strings"

	"golang.org/x/text/unicode/norm"
)

//go:embed common_passwords.txt
var commonFile string

// common holds the folded common words, keyboard walks and number runs;
// commonWords the words of 4 letters or more, longest first, for removal.
var common, commonWords = loadCommon()

func loadCommon() (map[string]bool, []string) {
	set := map[string]bool{}
	for _, line := range strings.Split(commonFile, "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			set[line] = true
		}
	}
	// Keyboard walks, both ways, on AZERTY and QWERTY rows, and the digit row.
	rows := []string{"azertyuiop", "qsdfghjklm", "wxcvbn", "qwertyuiop", "asdfghjkl", "zxcvbnm",
		"1234567890", "azertyuiopqsdfghjklmwxcvbn", "qwertyuiopasdfghjklzxcvbnm", "abcdefghijklmnopqrstuvwxyz"}
	for _, r := range rows {
		for _, s := range []string{r, reverse(r)} {
			for i := 0; i < len(s); i++ {
				for j := i + 4; j <= len(s); j++ {
					set[s[i:j]] = true
				}
			}
		}
	}
	var words []string
	for w := range set {
		if len(w) >= 4 {
			words = append(words, w)
		}
	}
	slices.SortFunc(words, func(a, b string) int {
		if len(a) != len(b) {
			return len(b) - len(a)
		}
		return strings.Compare(a, b)
	})
	return set, words
}

func reverse(s string) string {
	b := []byte(s)
	slices.Reverse(b)
	return string(b)
}

// leet undoes the usual letter-for-symbol swaps, one byte for one byte.
var leet = strings.NewReplacer("0", "o", "1", "i", "3", "e", "4", "a", "5", "s", "7", "t", "@", "a", "$", "s", "!", "i")

// fold lower-cases and removes accents, keeping ASCII letters, digits and
// the symbols leet-speak uses for letters.
func fold(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(strings.ToLower(s)) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '@', r == '$', r == '!':
			b.WriteRune(r)
		case r == '€':
			b.WriteByte('e')
		case r == 'œ':
			b.WriteString("oe")
		case r == 'æ':
			b.WriteString("ae")
		}
	}
	return b.String()
}

// lettersAndDigits drops the leet symbols left after folding.
func lettersAndDigits(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '@' || r == '$' || r == '!' {
			return -1
		}
		return r
	}, s)
}

// guessable reports whether a password is a common word or built from a few
// of them, keyboard walks, dates, number runs and the user's own name or
// address, with symbols and leet-speak around. It strips what a guesser's
// rules would try first and wants at least 6 letters or digits left.
//
// Words are found in the leet-decoded form and cut from both forms at the
// same place (decoding maps one byte to one byte); numbers are then judged
// on the original digits.
func guessable(password string, personal []string) bool {
	orig := fold(password)
	decoded := leet.Replace(orig)
	plain := lettersAndDigits(orig)
	if distinct(plain) < 5 || common[plain] || common[lettersAndDigits(decoded)] {
		return true
	}
	cut := func(w string, limit int) {
		for n := 0; n < limit; n++ {
			i := strings.Index(decoded, w)
			if i < 0 {
				return
			}
			orig, decoded = orig[:i]+orig[i+len(w):], decoded[:i]+decoded[i+len(w):]
		}
	}
	for _, p := range personal {
		for _, part := range strings.FieldsFunc(p, func(r rune) bool {
			return strings.ContainsRune(" .-_+@'’", r) || (r >= '0' && r <= '9')
		}) {
			if f := lettersAndDigits(fold(part)); len(f) >= 3 {
				cut(f, len(password))
			}
		}
	}
	removed := 0
	for _, w := range commonWords {
		before := len(decoded)
		cut(w, 2-removed)
		removed += (before - len(decoded)) / len(w)
		if removed >= 2 {
			break
		}
	}
	return len(stripPredictableNumbers(lettersAndDigits(orig))) < 6
}

func distinct(s string) int {
	seen := map[rune]bool{}
	for _, r := range s {
		seen[r] = true
	}
	return len(seen)
}

// stripPredictableNumbers removes the runs of digits a guesser tries: short
// ones (years, postcodes' départements, 007), sequences, repetitions and dates.
func stripPredictableNumbers(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		j := i
		for j < len(s) && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		if j == i {
			b.WriteByte(s[i])
			i++
			continue
		}
		if run := s[i:j]; !predictableNumber(run) {
			b.WriteString(run)
		}
		i = j
	}
	return b.String()
}

func predictableNumber(d string) bool {
	if len(d) <= 5 || sequence(d, 1) || sequence(d, -1) || repeats(d) || date(d) {
		return true
	}
	return false
}

// sequence reports digits going up (step 1) or down (-1), wrapping 9→0.
func sequence(d string, step int) bool {
	for i := 1; i < len(d); i++ {
		if (int(d[i-1]-'0')+step+10)%10 != int(d[i]-'0') {
			return false
		}
	}
	return true
}

// repeats reports a block of 1 to 4 digits repeated: 121212, 20242024.
func repeats(d string) bool {
	for p := 1; p <= 4 && p < len(d); p++ {
		if len(d)%p == 0 && strings.Repeat(d[:p], len(d)/p) == d {
			return true
		}
	}
	return false
}

// date reports ddmmyy, ddmmyyyy and yyyymmdd shapes.
func date(d string) bool {
	dm := func(s string) bool {
		day, month := atoi(s[:2]), atoi(s[2:4])
		return day >= 1 && day <= 31 && month >= 1 && month <= 12
	}
	year := func(s string) bool { y := atoi(s); return y >= 1900 && y <= 2099 }
	switch len(d) {
	case 6:
		return dm(d)
	case 8:
		return (dm(d) && year(d[4:])) || (year(d[:4]) && dm(d[6:8]+d[4:6]))
	}
	return false
}

func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}
