import type { Language } from "../config/migration";
import { java } from "./java";
import { LanguageModule } from "./language";
import { nodejs } from "./nodejs";
import { python } from "./python";

/** Every language skyshift migrates, by the `language` an app's config names. */
export const LANGUAGES: Readonly<Record<Language, LanguageModule>> = { java, python, nodejs };

/** The order discovery tries languages in: launchers (Python, Node.js) are more specific than JVM options. */
export const DETECTION_ORDER: readonly LanguageModule[] = [python, nodejs, java];

export { java, nodejs, python };
