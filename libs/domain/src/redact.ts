/**
 * What an error message keeps once contact details and calendar dates are taken out. Errors
 * travel further than the data (worker logs, delivery rows, Temporal histories as activity
 * failures); a provider may echo an address, a driver may quote a value. Names cannot be
 * recognised by shape: the code never puts one in an error.
 */
export function redactPersonalData(text: string, maxLength = 500): string {
  return text
    .replace(/[^\s<>"'()]+@[^\s<>"'()]+/g, '<adresse>')
    .replace(/\b\d{1,6}-\d{2}-\d{2}\b|\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b/g, '<date>')
    .replace(/\+?\d[\d .-]{7,}\d/g, '<numéro>')
    .slice(0, maxLength);
}
