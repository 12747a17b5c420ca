/**
 * What a pipeline's stages are, whatever language their names are in. A deal's pipeline is the
 * customer's own (Zoho lets every org rename and reorder stages), so the analyser cannot look
 * for "Proposal" or "Closed Won": it reads each name as one of the kinds of step every B2B
 * pipeline has, from words CRMs use for them in the languages Zoho CRM is sold in. Names it
 * cannot read keep no kind and are never suggested.
 */
export type StageKind =
  | 'qualify'
  | 'discovery'
  | 'demo'
  | 'evaluation'
  | 'decision'
  | 'proposal'
  | 'negotiation'
  | 'contract'
  | 'won'
  | 'lost'
  | 'hold';

/** Lower case, accents and marks dropped ("Négociation" → "negociation", "İhtiyaç" → "ihtiyac"). */
export function foldName(name: string): string {
  return (
    name
      .normalize('NFKD')
      .replace(/\p{M}/gu, '')
      .replace(/[đĐ]/g, 'd')
      .replace(/[łŁ]/g, 'l')
      .replace(/[øØ]/g, 'o')
      .replace(/[æÆ]/g, 'ae')
      .replace(/ß/g, 'ss')
      .replace(/ı/g, 'i')
      // Hangul syllables come apart into their letters under NFKD: put them together again.
      .normalize('NFC')
      .toLowerCase()
  );
}

/**
 * Words by kind, tried in this order (the first kind whose words a name holds wins, so "Closed
 * Won" is won before anything else and "Value Proposition" a demo step before a proposal). Each
 * is matched at a word start on the folded name ("…$": as a whole word); CJK words anywhere.
 */
const kindWords: Array<[StageKind, string[]]> = [
  // Steps named after a win that is not the deal's: before "win" reads as won.
  ['evaluation', ['technical win']],
  ['contract', ['verbal win', 'verbal commit']],
  [
    'won',
    [
      'closed won',
      'booked revenue',
      'seonggong',
      'κερδισμεν',
      'renewed',
      'won',
      'win$',
      'signed',
      'gewonnen',
      'gagne',
      'ganad',
      'ganh',
      'vint',
      'vinci',
      'wygran',
      'vunn',
      'vundet',
      'kazan',
      'voitet',
      'vyhran',
      'megnyert',
      'castigat',
      'juchu',
      'seiyaku',
      'thang',
      'thanh cong',
      'menang',
      'berhasil',
      '受注',
      '成約',
      '수주',
      '성공',
      '成交',
      '赢单',
    ],
  ],
  [
    'lost',
    [
      'closed lost',
      'silpae',
      'shitchu',
      'χαμεν',
      'churned',
      'lost',
      'dead$',
      'disqualif',
      'verloren',
      'perdu',
      'perdid',
      'perso$',
      'persa$',
      'przegran',
      'utracon',
      'tapt',
      'forlor',
      'tabt',
      'kaybed',
      'menetet',
      'havit',
      'prohran',
      'elveszt',
      'pierdut',
      'shicchu',
      'that bai',
      'kalah',
      'gagal',
      '失注',
      '실주',
      '실패',
      '输单',
      '丢单',
    ],
  ],
  // Reviews that are evaluation steps, before "review" reads as negotiation.
  ['evaluation', ['security review', 'technical review', 'it review', 'security', 'technical validation']],
  [
    'hold',
    [
      'on hold',
      'hold',
      'nurtur',
      'park',
      'dormant',
      'paused',
      'pause',
      'on ice',
      'future',
      'later',
      'recycl',
      'long term',
      'long-term',
      'espera',
      'attente',
      'in attesa',
      'sospes',
      'pausiert',
      'zuruckgestellt',
      'ruhend',
      'geparkeerd',
      'wacht',
      'wstrzyman',
      'odlozon',
      'pa vent',
      'vilande',
      'beklem',
      'ertelen',
      'odotta',
      'horyu',
      'tam dung',
      'tertunda',
      '保留',
      '보류',
      '搁置',
    ],
  ],
  [
    'demo',
    [
      'value proposition',
      'wertversprechen',
      'nutzenversprechen',
      'propuesta de valor',
      'proposition de valeur',
      'proposta de valor',
      'waardepropositie',
      'proposta di valore',
      'demo',
      'presentation',
      'live walkthrough',
      'product walkthrough',
      'platform walkthrough',
      'solution walkthrough',
      'siyeon',
      'επιδειξ',
      'prasentation',
      'presentacion',
      'apresentacao',
      'presentazione',
      'dimostrazione',
      'demonstra',
      'demostracion',
      'prezentacj',
      'presentasjon',
      'sunum',
      'esittely',
      'gioi thieu',
      'trinh dien',
      'solution design',
      'デモ',
      'プレゼン',
      '데모',
      '시연',
      '演示',
    ],
  ],
  [
    'decision',
    [
      'decision maker',
      'decisao',
      'decisión',
      'decision',
      'business case',
      'kessai',
      'ringi$',
      'approval',
      'entscheid',
      'decideur',
      'decisor',
      'karar',
    ],
  ],
  [
    'negotiation',
    [
      'negotiat',
      'hyeopsang',
      'διαπραγματ',
      'verhandl',
      'negociac',
      'negocia',
      'negoziaz',
      'trattativ',
      'onderhandel',
      'negocjac',
      'forhandl',
      'muzakere',
      'pazarlik',
      'neuvottel',
      'vyjednav',
      'targyal',
      'negocier',
      'kosho',
      'dam phan',
      'negosiasi',
      '交渉',
      '협상',
      '谈判',
    ],
  ],
  [
    'contract',
    [
      // A verbal yes ("Compromiso verbal", "Muntligt ja", "Mündliche Zusage") and the paperwork
      // after the terms (procurement, legal): after won, lost, hold and negotiation, so "Closed
      // Lost - Procurement" stays lost and "Negotiation/Legal Review" negotiation.
      'verbal',
      'muntlig',
      'mundlich',
      'mondeling',
      'zusage',
      'ustni',
      'suullinen',
      'souhlas',
      'procurement',
      'purchasing',
      'legal',
      'prawn',
      'paper out',
      'naitei',
      'gyeyak',
      'compras',
      'juridic',
      'einkauf',
      'achats',
      'acquisti',
      'inkoop',
      'zakup',
      'contract',
      'vertrag',
      'contrat',
      'contrato',
      'contratto',
      'kontrak',
      'umowa',
      'avtale',
      'avtal',
      'sozlesme',
      'sopimus',
      'smlouv',
      'keiyaku',
      'hop dong',
      'commit',
      'closing',
      '契約',
      '계약',
      '合同',
    ],
  ],
  [
    'proposal',
    [
      'proposal',
      'gyeonjeok',
      'προτασ',
      'quot',
      'offer',
      'pricing',
      'price',
      'angebot',
      'proposition',
      'devis',
      'offre',
      'propuest',
      'cotizac',
      'oferta',
      'propost',
      'orcament',
      'offert',
      'preventiv',
      'voorstel',
      'tilbud',
      'teklif',
      'tarjou',
      'nabidk',
      'ajanlat',
      'mitsumori',
      'teian',
      'bao gia',
      'de xuat',
      'penawaran',
      '見積',
      '提案',
      '견적',
      '제안',
      '报价',
      '方案',
    ],
  ],
  [
    'evaluation',
    [
      'trial',
      'sibeom',
      'pilot',
      'poc',
      'proof of concept',
      'evaluation',
      'validation',
      'security',
      'test',
      'erprob',
      'essai',
      'evaluac',
      'prueba',
      'piloto',
      'avaliac',
      'prova',
      'valutazion',
      'proef',
      'pilotaz',
      'ocen',
      'utprov',
      'provning',
      'deneme',
      'kokeilu',
      'arvioin',
      'muszaki',
      'jissho',
      'kensho',
      'thu nghiem',
      'danh gia',
      'uji coba',
      '検証',
      '実証',
      '검증',
      '시범',
      '试用',
      '试点',
    ],
  ],
  [
    'discovery',
    [
      'discovery',
      'problem fit',
      'problem valid',
      'hiaring',
      'bunseok',
      'αναγκ',
      'αναλυσ',
      'needs',
      'analysis',
      'requirement',
      'scoping',
      'bedarf',
      'besoin',
      'decouverte',
      'necesidad',
      'descubrim',
      'necessidad',
      'esigenz',
      'bisogn',
      'behoefte',
      'analiza',
      'potrzeb',
      'behov',
      'ihtiyac',
      'analiz',
      'analyz',
      'potreb',
      'igenyfelmer',
      'tarve',
      'kartoitu',
      'hearing',
      'nhu cau',
      'kebutuhan',
      'ヒアリング',
      '니즈',
      '需求',
    ],
  ],
  [
    'qualify',
    [
      'qualif',
      'kontakt',
      'sesshoku',
      'jeopchok',
      'ilk gorusme',
      'inbound',
      'επαφ',
      'lead',
      'prospect',
      'new',
      'contact',
      'intake',
      'calificac',
      'cualificac',
      'kwalific',
      'kwalifik',
      'kvalifi',
      'nitelendir',
      'minosit',
      'calific',
      'erstkontakt',
      'premier contact',
      'primer contacto',
      'primeiro contato',
      'primo contatto',
      'tiem nang',
      'prospek',
      '見込',
      'リード',
      '리드',
      '线索',
    ],
  ],
  // Words that read as a kind only when nothing else in the name does ("Zamówienie" is the order,
  // "Zamówienie testowe" a test order).
  ['contract', ['zamowien']],
];

const cjk = /[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]/;

const matchers: Array<[StageKind, RegExp[]]> = kindWords.map(([kind, words]) => [
  kind,
  // Folded as the names are: "デモ" loses its voicing mark under NFKD, in the name and the word alike.
  words
    .map(foldName)
    .map((w) =>
      cjk.test(w)
        ? new RegExp(w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
        : w.endsWith('$')
          ? new RegExp(`(?:^|[^\\p{L}])${w.slice(0, -1)}(?![\\p{L}])`, 'u')
          : new RegExp(`(?:^|[^\\p{L}])${w}`, 'u'),
    ),
]);

/**
 * Whole names whose words would read as another kind: "No Decision" is how some CRMs name the
 * deals that died undecided (not a decision step, and not "No Decision Maker"); "Redlines" alone
 * is the bargaining over the contract's text ("Contract Redlines" stays a contract step).
 */
const wholeNames: Record<string, StageKind> = {
  'no decision': 'lost',
  'closed no decision': 'lost',
  redlines: 'negotiation',
  redline: 'negotiation',
};

export function kindOfStage(name: string): StageKind | undefined {
  const folded = foldName(name);
  const whole = wholeNames[folded.replace(/[^\p{L}\p{N}]+/gu, ' ').trim()];
  if (whole) return whole;
  return matchers.find(([, res]) => res.some((re) => re.test(folded)))?.[0];
}

/** Kinds of the closing stages: a deal there is over (won, lost) or parked (hold). */
export const outcomeKinds: ReadonlySet<StageKind> = new Set(['won', 'lost', 'hold']);
