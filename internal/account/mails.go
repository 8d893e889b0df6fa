package account

import (
	"fmt"
	"strings"

	"github.com/repere-spie/repere/internal/directory"
	"github.com/repere-spie/repere/internal/mail"
)

// The mails, in French and with "vous". Plain text: every client shows it,
// and the links stay visible.

const signature = "\n\nL’équipe Repère\n\nCe message vous est envoyé automatiquement : merci de ne pas y répondre.\n"

func hello(name string) string {
	if name = strings.TrimSpace(name); name == "" {
		return "Bonjour,\n\n"
	}
	return "Bonjour " + name + ",\n\n"
}

func verifyMail(u *directory.User, link string) mail.Message {
	return mail.Message{To: u.Email, Subject: "Confirmez votre adresse électronique sur Repère", Text: hello(u.Name) +
		"Vous venez de créer un compte sur Repère. Pour confirmer votre adresse électronique, ouvrez ce lien dans les 48 heures :\n\n" +
		link + "\n\n" +
		"Si vous n’êtes pas à l’origine de cette demande, ignorez ce message : le compte ne sera pas activé." + signature}
}

func accountExistsMail(u *directory.User, link string) mail.Message {
	return mail.Message{To: u.Email, Subject: "Vous avez déjà un compte sur Repère", Text: hello(u.Name) +
		"Quelqu’un, sans doute vous, a voulu créer un compte sur Repère avec cette adresse. Vous en avez déjà un.\n\n" +
		"Si vous avez oublié votre mot de passe, vous pouvez en choisir un nouveau ici :\n\n" + link + "\n\n" +
		"Si vous n’êtes pas à l’origine de cette demande, ignorez ce message : votre compte n’a pas changé." + signature}
}

func resetMail(u *directory.User, link string) mail.Message {
	return mail.Message{To: u.Email, Subject: "Choisissez un nouveau mot de passe Repère", Text: hello(u.Name) +
		"Vous avez demandé à changer votre mot de passe Repère. Pour en choisir un nouveau, ouvrez ce lien dans l’heure :\n\n" +
		link + "\n\n" +
		"Si vous n’êtes pas à l’origine de cette demande, ignorez ce message : votre mot de passe actuel reste valable." + signature}
}

func passwordChangedMail(u *directory.User, link string) mail.Message {
	return mail.Message{To: u.Email, Subject: "Votre mot de passe Repère a été changé", Text: hello(u.Name) +
		"Le mot de passe de votre compte Repère vient d’être changé, et toutes vos sessions ont été fermées.\n\n" +
		"Si vous n’êtes pas à l’origine de ce changement, choisissez sans attendre un nouveau mot de passe :\n\n" + link + signature}
}

func invitationMail(email, inviter, structure string, role directory.Role, link string) mail.Message {
	return mail.Message{To: email, Subject: fmt.Sprintf("Invitation à rejoindre %s sur Repère", structure), Text: hello("") +
		fmt.Sprintf("%s vous invite à rejoindre la structure « %s » sur Repère, en tant que %s.\n\n", inviter, structure, strings.ToLower(role.Label())) +
		"Repère recense l’offre d’insertion sociale et professionnelle du territoire ; ses membres y tiennent à jour les services de leur structure.\n\n" +
		"Pour accepter l’invitation, ouvrez ce lien dans les 14 jours (vous pourrez créer votre compte si vous n’en avez pas encore) :\n\n" +
		link + "\n\n" +
		"Si vous ne connaissez pas cette structure, ignorez ce message." + signature}
}

func joinRequestMail(admin directory.Member, requester *directory.User, structure, message, link string) mail.Message {
	text := hello(admin.Name) +
		fmt.Sprintf("%s (%s) demande à rejoindre la structure « %s » sur Repère.\n\n", requester.Name, requester.Email, structure)
	if message != "" {
		text += "Son message :\n\n« " + message + " »\n\n"
	}
	text += "Vous pouvez accepter ou refuser cette demande ici :\n\n" + link
	return mail.Message{To: admin.Email, Subject: fmt.Sprintf("%s demande à rejoindre %s", requester.Name, structure), Text: text + signature}
}

func joinAnswerMail(r directory.JoinRequest, structure string, accepted bool, link string) mail.Message {
	if accepted {
		return mail.Message{To: r.Email, Subject: fmt.Sprintf("Vous avez rejoint %s sur Repère", structure), Text: hello(r.Name) +
			fmt.Sprintf("Votre demande a été acceptée : vous êtes maintenant membre de la structure « %s » sur Repère.\n\n", structure) +
			"Vous pouvez dès à présent gérer ses services depuis votre espace :\n\n" + link + signature}
	}
	return mail.Message{To: r.Email, Subject: fmt.Sprintf("Votre demande pour rejoindre %s", structure), Text: hello(r.Name) +
		fmt.Sprintf("Votre demande pour rejoindre la structure « %s » sur Repère n’a pas été acceptée.\n\n", structure) +
		"Si vous pensez qu’il s’agit d’une erreur, prenez contact directement avec la structure." + signature}
}

func moderationMail(m directory.Member, structure string, state directory.Moderation, note, link string) mail.Message {
	if state == directory.ModerationValidated {
		return mail.Message{To: m.Email, Subject: fmt.Sprintf("%s est vérifiée sur Repère", structure), Text: hello(m.Name) +
			fmt.Sprintf("La structure « %s » a été vérifiée par le gestionnaire de territoire. Ses services ne portent plus la mention « structure en cours de vérification ».\n\n", structure) +
			link + signature}
	}
	text := hello(m.Name) +
		fmt.Sprintf("Le gestionnaire de territoire n’a pas validé la structure « %s » sur Repère : ses services ne sont plus visibles sur le site.\n\n", structure)
	if note != "" {
		text += "Son explication :\n\n« " + note + " »\n\n"
	}
	text += "Vous pouvez corriger les informations de la structure et lui répondre depuis votre espace :\n\n" + link
	return mail.Message{To: m.Email, Subject: fmt.Sprintf("%s n’a pas été validée sur Repère", structure), Text: text + signature}
}

func moderatorMail(u *directory.User, deps []string, link string) mail.Message {
	if len(deps) == 0 {
		return mail.Message{To: u.Email, Subject: "Vous n’êtes plus gestionnaire de territoire sur Repère", Text: hello(u.Name) +
			"Vous n’êtes plus gestionnaire de territoire sur Repère." + signature}
	}
	return mail.Message{To: u.Email, Subject: "Vous êtes gestionnaire de territoire sur Repère", Text: hello(u.Name) +
		fmt.Sprintf("Vous êtes désormais gestionnaire de territoire sur Repère pour : %s.\n\n", strings.Join(deps, ", ")) +
		"Vous vérifiez les nouvelles structures de ce territoire et pouvez modifier toutes ses fiches. Votre file de vérification :\n\n" +
		link + signature}
}
