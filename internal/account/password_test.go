package account

import (
	"strings"
	"testing"
)

func TestPasswordHash(t *testing.T) {
	h := hashPassword("cheval agrafe batterie")
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("hash %q is not a PHC argon2id string with the current parameters", h)
	}
	if h2 := hashPassword("cheval agrafe batterie"); h2 == h {
		t.Fatal("two hashes of one password are equal: the salt is not random")
	}
	tests := []struct {
		name       string
		hash, pass string
		ok, rehash bool
	}{
		{"right", h, "cheval agrafe batterie", true, false},
		{"wrong", h, "cheval agrafe batterie!", false, false},
		{"composed accent", hashPassword("caf\u00e9 cr\u00e8me br\u00fbl\u00e9e"), "cafe\u0301 cre\u0300me bru\u0302le\u0301e", true, false},
		{"older parameters", "$argon2id$v=19$m=8192,t=1,p=1$" + strings.Join(strings.Split(h, "$")[4:], "$"), "x", false, false},
		{"garbage", "$2y$10$abcdefghijklmnopqrstuv", "x", false, false},
		{"absurd cost", "$argon2id$v=19$m=99999999,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$" + strings.Repeat("A", 43), "x", false, false},
	}
	for _, tt := range tests {
		ok, rehash := checkPassword(tt.hash, tt.pass)
		if ok != tt.ok || rehash != tt.rehash {
			t.Errorf("%s: ok=%v rehash=%v, want %v %v", tt.name, ok, rehash, tt.ok, tt.rehash)
		}
	}
	// A hash made with other parameters still verifies, and asks for a rehash.
	saved := currentParams
	currentParams = argonParams{memory: 8 * 1024, time: 1, threads: 1}
	old := hashPassword("tartine velo orage jardin")
	currentParams = saved
	if ok, rehash := checkPassword(old, "tartine velo orage jardin"); !ok || !rehash {
		t.Errorf("old parameters: ok=%v rehash=%v, want true true", ok, rehash)
	}
}

func TestCheckNewPassword(t *testing.T) {
	personal := []string{"Camille Dupont-Lefèvre", "camille.dupont@mairie-exemple.fr"}
	tests := []struct {
		password string
		ok       bool
	}{
		{"court", false},
		{"onzecaracte", false},
		{"motdepasse123", false},
		{"MotDePasse2024!", false},
		{"P@ssw0rd2024!!", false},
		{"azertyuiop123", false},
		{"qsdfghjklm!!", false},
		{"123456789012", false},
		{"000000000000", false},
		{"abababababab", false},
		{"soleilsoleil", false},
		{"Marseille13000!", false},
		{"jetaimemonamour", false},
		{"FranceTravail2024", false},
		{"chocolat-fraise-1990", false},
		{"Camille1985!!!", false},
		{"dupontlefevre75", false},
		{"camille.dupont@mairie", false},
		{"Bonjour14071989", false},
		{strings.Repeat("a", 300), false},
		{"tartine velo orage jardin", true},
		{"Le chat de ma voisine danse", true},
		{"xK9#mQ2$vL7!pR4", true},
		{"cheval agrafe batterie", true},
		{"soleil48217364", true},
		{"ornithorynque bleu", true},
	}
	for _, tt := range tests {
		msg := CheckNewPassword(tt.password, personal...)
		if (msg == "") != tt.ok {
			t.Errorf("%q: message %q, want accepted=%v", tt.password, msg, tt.ok)
		}
	}
}

func TestCommonListIsFolded(t *testing.T) {
	if len(common) < 1000 {
		t.Fatalf("only %d common entries", len(common))
	}
	for w := range common {
		if fold(w) != w {
			t.Errorf("entry %q is not folded (%q): the checker would never match it", w, fold(w))
		}
	}
	for _, w := range []string{"motdepasse", "azerty", "soleil", "francetravail", "jetaime", "uiop", "0987"} {
		if !common[w] {
			t.Errorf("%q missing", w)
		}
	}
}
