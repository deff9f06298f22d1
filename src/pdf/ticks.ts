/**
 * Objects pdf-lib reads or writes between yields to the event loop. Each yield is a timer of at
 * least 1 ms, and its defaults are 100 when reading and 50 when writing: the 111-chapter book's PDF
 * has 15,946 objects. With 1,000, an article goes in one step and such a book in about sixteen.
 */
export const OBJECTS_PER_TICK = 1000;
