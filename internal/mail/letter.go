package mail

import (
	"bytes"
	"html/template"
	"strings"
)

// Letter is the content of a periodic mail, written once and rendered both
// as plain text and as HTML in the site's look. The HTML has no image and
// no stylesheet to fetch: it reads the same when the client blocks them.
type Letter struct {
	To       string
	Subject  string
	Greeting string   // "Bonjour Camille,"
	Intro    []string // paragraphs before the sections
	Button   *Link    // the one thing to do, after the intro
	Sections []Section
	Outro    []string // paragraphs after the sections
	Why      string   // why this mail comes: "Vous recevez ce courriel car…"
	Footer   []Link   // "Gérer mes alertes", "Se désabonner"…
	// Unsubscribe is the one-click unsubscribe URL (RFC 8058 headers).
	Unsubscribe string
}

// Section is a titled list, such as the services of one thématique.
type Section struct {
	Title string
	Items []Item
	More  *Link // what the list leaves out
}

// Item is one entry of a section.
type Item struct {
	Title  string
	URL    string
	Badge  string   // "Nouveau", "Modifié"…
	Lines  []string // details, one per line
	Action *Link    // a button, such as "Toujours à jour"
}

// Link is a labelled URL.
type Link struct{ Label, URL string }

const signature = "L’équipe Repère"

const automatic = "Ce message vous est envoyé automatiquement : merci de ne pas y répondre."

// Message renders the letter.
func (l Letter) Message() Message {
	return Message{To: l.To, Subject: l.Subject, Text: l.text(), HTML: l.html(), Unsubscribe: l.Unsubscribe}
}

func (l Letter) text() string {
	var b strings.Builder
	para := func(s string) { b.WriteString(s); b.WriteString("\n\n") }
	if l.Greeting != "" {
		para(l.Greeting)
	}
	for _, p := range l.Intro {
		para(p)
	}
	if l.Button != nil {
		para(l.Button.Label + " : " + l.Button.URL)
	}
	for _, s := range l.Sections {
		b.WriteString(s.Title + "\n" + strings.Repeat("=", len([]rune(s.Title))) + "\n\n")
		for _, it := range s.Items {
			b.WriteString("- " + it.Title)
			if it.Badge != "" {
				b.WriteString(" (" + strings.ToLower(it.Badge) + ")")
			}
			b.WriteString("\n")
			for _, line := range it.Lines {
				b.WriteString("  " + line + "\n")
			}
			if it.URL != "" {
				b.WriteString("  " + it.URL + "\n")
			}
			if it.Action != nil {
				b.WriteString("  " + it.Action.Label + " : " + it.Action.URL + "\n")
			}
			b.WriteString("\n")
		}
		if s.More != nil {
			para(s.More.Label + " : " + s.More.URL)
		}
	}
	for _, p := range l.Outro {
		para(p)
	}
	b.WriteString(signature + "\n\n-- \n")
	if l.Why != "" {
		b.WriteString(l.Why + "\n")
	}
	for _, f := range l.Footer {
		b.WriteString(f.Label + " : " + f.URL + "\n")
	}
	b.WriteString(automatic + "\n")
	return b.String()
}

func (l Letter) html() string {
	var b bytes.Buffer
	if err := letterHTML.Execute(&b, struct {
		Letter
		Signature, Automatic string
	}{l, signature, automatic}); err != nil {
		panic(err) // the template and its data are this package's own
	}
	return b.String()
}

// letterHTML follows the State design system with what mail clients
// understand: tables, inline styles, system fonts, the blue France.
var letterHTML = template.Must(template.New("letter").Parse(`<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>{{.Subject}}</title></head>
<body style="margin:0;padding:0;background:#f6f6f6;color:#161616;font-family:Marianne,Arial,Helvetica,sans-serif;font-size:16px;line-height:1.5">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:#f6f6f6"><tr><td align="center" style="padding:16px 8px">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="max-width:600px;background:#ffffff;border-top:4px solid #000091">
<tr><td style="padding:16px 24px;border-bottom:1px solid #dddddd">
<p style="margin:0;font-size:12px;font-weight:bold;letter-spacing:1px;text-transform:uppercase">République française</p>
<p style="margin:4px 0 0;font-size:20px;font-weight:bold;color:#000091">Repère</p>
<p style="margin:0;font-size:13px;color:#3a3a3a">La cartographie de l’offre d’insertion</p>
</td></tr>
<tr><td style="padding:24px">
{{- if .Greeting}}<p style="margin:0 0 16px">{{.Greeting}}</p>{{end}}
{{- range .Intro}}<p style="margin:0 0 16px">{{.}}</p>{{end}}
{{- with .Button}}<p style="margin:0 0 24px"><a href="{{.URL}}" style="display:inline-block;background:#000091;color:#ffffff;text-decoration:none;padding:8px 16px;font-weight:bold">{{.Label}}</a></p>{{end}}
{{- range .Sections}}
<h2 style="margin:24px 0 8px;font-size:18px;color:#000091;border-bottom:1px solid #dddddd;padding-bottom:4px">{{.Title}}</h2>
{{- range .Items}}
<div style="margin:0 0 16px">
<p style="margin:0;font-weight:bold">{{if .URL}}<a href="{{.URL}}" style="color:#000091">{{.Title}}</a>{{else}}{{.Title}}{{end}}{{if .Badge}} <span style="font-size:12px;font-weight:bold;text-transform:uppercase;background:#e3e3fd;color:#000091;padding:0 4px">{{.Badge}}</span>{{end}}</p>
{{- range .Lines}}<p style="margin:0;font-size:14px;color:#3a3a3a">{{.}}</p>{{end}}
{{- with .Action}}<p style="margin:8px 0 0"><a href="{{.URL}}" style="display:inline-block;background:#000091;color:#ffffff;text-decoration:none;padding:6px 12px;font-size:14px">{{.Label}}</a></p>{{end}}
</div>
{{- end}}
{{- with .More}}<p style="margin:0 0 16px"><a href="{{.URL}}" style="color:#000091">{{.Label}}</a></p>{{end}}
{{- end}}
{{- range .Outro}}<p style="margin:0 0 16px">{{.}}</p>{{end}}
<p style="margin:24px 0 0">{{.Signature}}</p>
</td></tr>
<tr><td style="padding:16px 24px;border-top:1px solid #dddddd;font-size:13px;color:#3a3a3a">
{{- if .Why}}<p style="margin:0 0 8px">{{.Why}}</p>{{end}}
{{- if .Footer}}<p style="margin:0 0 8px">{{range $i, $f := .Footer}}{{if $i}} · {{end}}<a href="{{$f.URL}}" style="color:#000091">{{$f.Label}}</a>{{end}}</p>{{end}}
<p style="margin:0">{{.Automatic}}</p>
</td></tr>
</table>
</td></tr></table>
</body></html>
`))
