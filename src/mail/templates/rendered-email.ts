/** An email ready for the Mailer: what every template renders to. */
export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}
