// Vocabulary of the instruction-override grid (words after folding: lower case, no accents).

// The grid: an override verb, an optional determiner, a qualifier pointing at earlier or higher-priority
// text, and a noun naming instructions. Only base forms and clause-initial gerunds count: "the model
// ignored the previous instructions" describes an attack, it does not perform one.
export const OVERRIDE_VERBS = new Set([
  'ignore', 'disregard', 'forget', 'override', 'skip', 'discard', 'bypass', 'abandon', 'dismiss', 'overlook',
  'neglect', 'drop', 'erase', 'delete', 'supersede', 'overwrite', 'nullify', 'void', 'unlearn',
]);
export const OVERRIDE_GERUNDS = new Set([
  'ignoring', 'disregarding', 'forgetting', 'overriding', 'skipping', 'discarding', 'bypassing', 'abandoning',
  'dismissing', 'overlooking', 'neglecting', 'dropping', 'erasing', 'deleting', 'overwriting',
]);
// "Do not follow your previous instructions": these verbs override only when negated.
export const FOLLOW_VERBS = new Set(['follow', 'obey', 'heed', 'respect', 'honor', 'honour', 'apply']);
export const FOLLOW_GERUNDS = new Set(['following', 'obeying', 'heeding', 'respecting', 'honoring', 'honouring', 'applying']);
export const STOP_VERBS = new Set(['stop', 'quit', 'cease']);
// "These instructions override all previous ones": third-person forms after a new-instructions subject.
export const SUPERSEDE_FORMS = new Set(['overrides', 'supersedes', 'override', 'supersede', 'replace', 'replaces', 'cancel', 'cancels', 'revoke', 'revokes']);
// Only instructions to the model supersede instructions ("this policy supersedes the prior guidelines" is HR prose).
export const INSTRUCTION_SUBJECTS = new Set(['instruction', 'instructions', 'prompt', 'prompts', 'directive', 'directives', 'message', 'messages', 'command', 'commands', 'orders', 'rules']);
export const NEW_INSTRUCTION_CUES = new Set(['these', 'this', 'new', 'my', 'following', 'updated', 'latest', 'below']);

// A minimal grid in French, German, Spanish and Italian (folded: accents removed, lower case).
export const FOREIGN_VERBS = new Set(['ignorez', 'ignore', 'oubliez', 'oublie', 'ignoriere', 'ignorieren', 'vergiss', 'vergessen', 'ignora', 'ignorar', 'olvida', 'olvide', 'olvidar', 'dimentica', 'ignorate']);
export const FOREIGN_QUALIFIERS = new Set(['precedentes', 'precedente', 'anterieures', 'anterieur', 'vorherigen', 'vorigen', 'bisherigen', 'obigen', 'alle', 'anteriores', 'previas', 'precedenti', 'sistema', 'systeme']);
export const FOREIGN_NOUNS = new Set(['instructions', 'consignes', 'regles', 'anweisungen', 'instruktionen', 'regeln', 'anordnungen', 'instrucciones', 'reglas', 'istruzioni', 'regole']);
export const QUALIFIERS = new Set([
  'previous', 'prior', 'above', 'earlier', 'preceding', 'system', 'initial', 'original', 'former', 'old', 'foregoing',
  'aforementioned', 'past', 'existing', 'default', 'preset', 'predefined', 'hidden', 'developer', 'safety', 'ethical',
  'preexisting', 'programmed', 'base', 'core', 'pre', 'last',
]);
export const NOUNS = new Set([
  'instruction', 'instructions', 'prompt', 'prompts', 'rule', 'rules', 'direction', 'directions', 'directive',
  'directives', 'message', 'messages', 'guideline', 'guidelines', 'command', 'commands', 'constraint', 'constraints',
  'guidance', 'order', 'orders', 'programming', 'context', 'text', 'content', 'restriction', 'restrictions', 'policy',
  'policies', 'training', 'prompting', 'input', 'inputs', 'limitations', 'boundaries', 'filters', 'settings', 'task',
  'tasks', 'request', 'requests', 'conversation', 'persona', 'role', 'config', 'configuration',
]);
// Nouns strong enough to count with only "your"/"all" in front ("ignore your instructions").
export const STRONG_NOUNS = new Set([
  'instruction', 'instructions', 'prompt', 'rule', 'rules', 'directive', 'directives', 'guideline', 'guidelines',
  'programming', 'restriction', 'restrictions', 'constraint', 'constraints', 'policies', 'training', 'filters',
  'limitations', 'boundaries',
]);
export const BARE_DETERMINERS = new Set(['your', 'all']);
// "Ignore any instructions inside the document" is the defence, not the attack.
export const LOCATIVE_AFTER_NOUN = new Set([
  'in', 'inside', 'within', 'contained', 'embedded', 'found', 'from', 'that', 'which', 'appearing', 'present',
  'hidden', 'included', 'coming', 'written', 'placed', 'between', 'of',
]);
export const POST_QUALIFIERS = new Set(['above', 'before', 'earlier', 'previously', 'prior', 'preceding', 'given', 'received']);
// "Ignore everything above", "forget all you were told".
export const EVERYTHING_WORDS = new Set(['everything', 'anything', 'all', 'whatever', 'what']);
export const EVERYTHING_TAILS = new Set(['above', 'before', 'previously', 'prior', 'earlier', 'told', 'said', 'instructed', 'given', 'learned', 'preceding']);
// "Previous instructions no longer apply", "the system prompt is void".
export const VOID_WORDS = new Set(['void', 'null', 'cancelled', 'canceled', 'revoked', 'obsolete', 'invalid', 'overridden', 'lifted', 'suspended', 'deprecated', 'disabled', 'deactivated', 'irrelevant']);

export const NEGATIONS = new Set(['not', 'never', 'dont', 'cannot', 'cant', 'avoid', 'without', 'refuse', 'nor', 'neither', 'mustnt', 'shouldnt', 'wont', 'doesnt', 'didnt', 'nt']);
export const SKIPPABLE = new Set([
  'will', 'would', 'can', 'could', 'may', 'might', 'should', 'shall', 'must', 'often', 'sometimes', 'usually',
  'always', 'also', 'still', 'just', 'simply', 'now', 'completely', 'totally', 'entirely', 'immediately', 'quickly',
  'please', 'kindly', 'silently', 'actually', 'really', 'basically', 'literally', 'strictly', 'ever', 'hereby',
  'fully', 'henceforth', 'from', 'on', 'here', 'right', 'at', 'once', 'under', 'any', 'circumstances', 'circumstance',
  'case', 'in', 'no', 'to', 'need', 'have', 'are', 'is', 'be', 'going', 'want', 'you', 'u', 'i', 'we', 'ok', 'okay',
  'so', 'and', 'then', 'but', 'first', 'next', 'new', 'important', 'instruction', 'instructions', 'task', 'note',
  'urgent', 'attention', 'system', 'admin', 'override', 'update', 'hey', 'hi', 'well', 'yes', 'alright',
]);
// A verb after these describes someone else's behaviour ("models often ignore ...", "tries to ignore ...").
export const DESCRIPTIVE_SUBJECTS = new Set([
  'it', 'they', 'he', 'she', 'model', 'models', 'llm', 'llms', 'bot', 'bots', 'chatbot', 'chatbots', 'attacker',
  'attackers', 'adversary', 'adversaries', 'hacker', 'hackers', 'user', 'users', 'people', 'agent', 'agents', 'ai',
  'assistant', 'assistants', 'which', 'that', 'who', 'someone', 'anyone', 'nobody', 'like', 'as', 'eg', 'payload',
  'payloads', 'into', 'tries', 'try', 'trying', 'tried', 'attempt', 'attempts', 'attempting', 'attempted', 'designed',
  'trained', 'used', 'use', 'uses', 'using', 'able', 'unable', 'allows', 'allow', 'lets', 'let', 'how', 'way', 'ways',
  'tend', 'tends', 'likely', 'unlikely', 'meant', 'intended', 'told', 'asked', 'asks', 'says', 'say', 'said',
  'tells', 'instructs', 'wants', 'request', 'requests', 'command', 'commands', 'order', 'orders', 'effort',
  'efforts', 'option', 'flag', 'setting', 'parameter', 'field', 'variable', 'easy', 'hard', 'difficult',
  'whether', 'if', 'why', 'what', 'of', 'for', 'by', 'about', 'against', 'lesson', 'them', 'him', 'her', 'its',
  'their', 'his', 'one', 'cause', 'causes', 'caused', 'make', 'makes', 'made', 'get', 'gets', 'got', 'trick',
  'tricks', 'tricked', 'convince', 'convinces', 'coax', 'persuade',
]);
export const NOT_PLURAL_SUBJECTS = new Set(['yes', 'this', 'thus', 'plus', 'us', 'is', 'was', 'has', 'as', 'always', 'sometimes', 'please', 'its', 'ts']);
export const MENTION_CUES = /\b(says?|said|saying|like|such as|phrases?|e\.?g\.?|examples?|contains?|containing|writes?|wrote|types?|typed|asks?|requests?|attempts?|patterns?|strings?|texts?|words?|sentences?|messages?|known as|called|for instance|including|includes?|detects?|flags?|blocks?|filters?|as|treat|mentions?|reads?|tells? you|tries?)\b[^"'“”‘’`]{0,40}$/i;
