import { pick, type Random } from './prng.js';

/** Small lists of common Swedish names: realistic to read, too common to point at anyone. */
const GIVEN_NAMES_FEMALE = [
  'Alice', 'Maja', 'Elsa', 'Astrid', 'Wilma', 'Freja', 'Olivia', 'Selma', 'Alma', 'Ella',
  'Ebba', 'Saga', 'Vera', 'Signe', 'Agnes', 'Ines', 'Stella', 'Klara', 'Ida', 'Linnea',
  'Anna', 'Karin', 'Sara', 'Emma', 'Maria', 'Eva', 'Lena', 'Kristina',
] as const;
const GIVEN_NAMES_MALE = [
  'Noah', 'Hugo', 'William', 'Liam', 'Lucas', 'Oliver', 'Elias', 'Adam', 'Alexander', 'Nils',
  'Leo', 'Matteo', 'Theo', 'Vincent', 'Isak', 'Axel', 'Ludvig', 'Oscar', 'Arvid', 'Sixten',
  'Erik', 'Lars', 'Anders', 'Johan', 'Per', 'Karl', 'Mikael', 'Jonas',
] as const;
const FAMILY_NAMES = [
  'Andersson', 'Johansson', 'Karlsson', 'Nilsson', 'Eriksson', 'Larsson', 'Olsson', 'Persson',
  'Svensson', 'Gustafsson', 'Pettersson', 'Jonsson', 'Jansson', 'Hansson', 'Bengtsson', 'Jönsson',
  'Lindberg', 'Jakobsson', 'Magnusson', 'Lindström', 'Olofsson', 'Lindqvist', 'Lindgren', 'Berg',
  'Axelsson', 'Bergström', 'Lundberg', 'Lind', 'Lundgren', 'Lundqvist', 'Mattsson', 'Berglund',
  'Fredriksson', 'Sandberg', 'Henriksson', 'Forsberg', 'Sjöberg', 'Wallin', 'Engström', 'Åberg',
] as const;

export interface PersonName {
  givenName: string;
  familyName: string;
}

export function personName(random: Random, male: boolean): PersonName {
  return {
    givenName: pick(random, male ? GIVEN_NAMES_MALE : GIVEN_NAMES_FEMALE),
    familyName: pick(random, FAMILY_NAMES),
  };
}

/** `anna.lindstrom.42`: ASCII only, made unique by a number so two Anna Lindström never share an address. */
export function emailLocalPart(name: PersonName, unique: number): string {
  const ascii = (s: string) =>
    s
      .toLowerCase()
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/[^a-z]/g, '');
  return `${ascii(name.givenName)}.${ascii(name.familyName)}.${unique}`;
}
