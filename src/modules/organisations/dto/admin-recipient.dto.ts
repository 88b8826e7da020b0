/** An admin to be emailed (alerts): the organiser's id, which the mail module addresses the email to. */
export interface AdminRecipientDto {
  id: string;
}
