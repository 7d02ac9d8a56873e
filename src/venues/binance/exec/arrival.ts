/** One counter over every reply and event read from the venue, both transports. */
export class ArrivalCounter {
  private n = 0;
  next(): number {
    return ++this.n;
  }
  get last(): number {
    return this.n;
  }
}
