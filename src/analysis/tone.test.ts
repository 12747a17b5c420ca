import { describe, expect, it } from 'vitest';
import { intentFrom, sentimentFrom, type ToneSentence, toneSignals } from './tone.ts';

/**
 * Invented meetings (not the fixtures): each line `A:` (attendee, the buyer) or `H:` (host),
 * `A(Name):` for one of several people on the buyer's side.
 */
function tone(lines: string[], sentiment = 0) {
  const sentences: ToneSentence[] = lines.map((l) => {
    const [, side = '', who, text = ''] = /^(A|H)(?:\((\w+)\))?:\s*(.*)$/.exec(l) ?? [];
    return { role: side === 'H' ? 'host' : 'attendee', speaker: who ?? side, text, sentiment };
  });
  const signals = toneSignals(sentences);
  return { signals, sentiment: sentimentFrom(signals), intent: intentFrom(signals) };
}

describe('buyer sentiment and intent', () => {
  it('reads only the buyer: the seller’s enthusiasm counts for nothing', () => {
    const t = tone(['H: I am so excited, this is amazing for you.', 'A: Okay.', 'A: We will see.']);
    expect(t.signals.praise).toEqual([]);
    expect(t).toMatchObject({ sentiment: 'neutral', intent: 'low' });
  });

  it('a friendly buyer who defers politely, asking for nothing, is neutral in tone and low in intent', () => {
    // Kind words without a purchase: three fitted meetings by three authors (f05, f18, f28) label
    // this neutral, one (f13) positive. An earlier version kept it positive on a measurement of
    // held-out files (two lost, none won); the fitted set now teaches the other way.
    const t = tone([
      'A: Honestly, this looks great and the team enjoyed the demo.',
      'A: But it is not a priority for us this year.',
      "A: Let's keep in touch.",
    ]);
    expect(t).toMatchObject({ sentiment: 'neutral', intent: 'low' });
    // Asking for the quote as well is interest, not a polite no.
    expect(
      tone([
        'A: Honestly, this looks great.',
        'A: Not this year.',
        "A: Let's keep in touch.",
        'A: Send me the quote anyway.',
        'A: We want to sign before March.',
      ]),
    ).toMatchObject({ sentiment: 'positive' });
  });

  it('the project called off is negative however warmly said; a rejected offer is not a rejected deal', () => {
    const cancelled = tone([
      'A: Honestly, your system was the one the line leaders liked.',
      'A: So, unfortunately, the project is cancelled.',
      'A: Thank you very much for all the revisions.',
    ]);
    expect(cancelled).toMatchObject({ sentiment: 'negative', intent: 'low' });
    expect(cancelled.signals.cancelled).toHaveLength(1);
    // Stopped for now, or until the budget is back: a pause, not the end.
    for (const line of [
      'A: We have to stop the evaluation for now.',
      'A: The project is stopped until the new budget in April.',
      'A: The rollout is paused, not cancelled.',
    ])
      expect(tone([line]).signals.cancelled, line).toEqual([]);
    // Turning down a workshop while asking for the contract: buying, not ending it.
    const buying = tone([
      'A: That is accepted. We want to proceed.',
      'A: I need the contract and a start date. We want to start on the first of April.',
      'A: One day on site does not work for us.',
    ]);
    expect(buying).toMatchObject({ sentiment: 'positive', intent: 'high' });
  });

  it('reads an offer turned down as no complaint, open blockers as objections, liking the seller as praise', () => {
    expect(tone(['A: Thank you, but a longer trial doesn’t help me.']).signals.complaints).toEqual([]);
    expect(
      tone([
        'A: The app is great, the team loved it.',
        "A: But I have two problems, and for me they're blockers.",
        "A: And that's exactly my worry.",
      ]),
    ).toMatchObject({ sentiment: 'mixed' });
    expect(tone(['A: Your people actually understood our business.']).signals.praise).toHaveLength(1);
    expect(
      tone(['A: The pilot was the best thing that happened on my shop floor.']).signals.praise,
    ).toHaveLength(1);
    for (const line of [
      'A: The best thing would be to wait until next year.',
      'A: We need to get our business case approved.',
      'A: Your support team stopped listening to us.',
      'A: This is the one thing blocking the renewal.',
    ])
      expect(tone([line]).signals.praise, line).toEqual([]);
  });

  it('liking it while pushing back on the terms and putting part off is mixed; a buyer doing the work is positive', () => {
    expect(
      tone([
        'A: The team leads love the leadership paths.',
        'A: The problem is the agents on the floor, they have no time.',
        'A: Not this year.',
        'A: Maybe next year.',
      ]),
    ).toMatchObject({ sentiment: 'mixed' });
    expect(
      tone([
        'A: I will review it with my director and sign it off by Thursday.',
        "A: I'll send it to you tomorrow.",
        "A: I'll set up the VLAN and open the firewall rules by Wednesday.",
        "A: I'll choose them with the shift leaders and send you the names by Friday.",
      ]),
    ).toMatchObject({ sentiment: 'positive' });
  });

  it('review cases: a project plan dropped in the chat, an old project, "I want you to know", problems solved, past failures, expansion next year', () => {
    for (const line of [
      'A: I just dropped the project plan in the chat.',
      "A: Our previous CRM project was cancelled in 2022, which is why we're cautious.",
    ])
      expect(tone([line]).signals.cancelled, line).toEqual([]);
    expect(
      tone(['A: The project has been cancelled, and this is not a pause.']).signals.cancelled,
    ).toHaveLength(1);
    expect(
      tone([
        'A: I want you to know the demo was good.',
        "A: Let's do that debrief next week.",
        'A: We want your team to fix the outage.',
      ]).signals.buying,
    ).toEqual([]);
    expect(tone(["A: Let's do this fast."]).signals.buying).toHaveLength(1);
    for (const line of [
      'A: Your product solved three problems for us.',
      'A: The new release fixed a few issues we had.',
    ])
      expect(tone([line]).signals.complaints, line).toEqual([]);
    expect(tone(["A: But your onboarding didn't help us at all."]).signals.complaints).toHaveLength(1);
    expect(
      tone([
        'A: We love it, the team is thrilled.',
        "A: We'll add the Madrid office next year.",
        'A: And maybe Lisbon down the road.',
      ]),
    ).toMatchObject({ sentiment: 'positive' });
  });

  it('review cases, second round: complaints before a soft no, partial declines, another time, narrowing down, a date "not great"', () => {
    expect(
      tone([
        'A: The support has been a disaster and we are furious.',
        'A: We have lost trust in you.',
        'A: Frankly, it does not work for us.',
      ]).sentiment,
    ).toBe('negative');
    for (const line of [
      'A: We decided not to include the Madrid office in phase one.',
      "A: We're not interested in the mobile add-on.",
    ])
      expect(tone(['A: The scheduling view is great.', line]).sentiment, line).not.toBe('negative');
    for (const line of [
      'A: Great, the pilot went really well. We can close the trial on Friday and move to the paid plan.',
      "A: The contract was awarded to Orbe five years ago, that's why we're looking.",
      'A: Who was the work awarded to last time?',
      'A: We went back to Excel for the month-end report only.',
    ])
      expect(tone([line]).signals.rejection, line).toEqual([]);
    expect(
      tone(['A: We are going to stop the evaluation of the other two vendors and focus on you.']).signals
        .cancelled,
    ).toEqual([]);
    expect(tone(['A: We stopped the evaluation.']).signals.cancelled).toHaveLength(1);
    for (const line of [
      "A: Thursday isn't great for me, can we do Friday?",
      'A: Our current system is not ok, we need to replace it.',
      'A: We will not be renewing the other vendor.',
    ])
      expect(tone([line]).signals.complaints, line).toEqual([]);
    for (const line of ['A: We have no more licences left.', 'A: We had to remove ten more users.'])
      expect(tone([line]).signals.buying, line).toEqual([]);
    for (const line of [
      'A: How many people use it today?',
      'A: Only three technicians use it, the rest refuse to log in.',
      'A: The good part of the budget went to the ERP project.',
    ])
      expect(tone([line]).signals.praise, line).toEqual([]);
  });

  it('does not count what is said on a condition', () => {
    const t = tone([
      "A: I have two concerns, and if we can't get past them, there's no point in going on.",
      "A: If your model follows our format, it's much easier for me.",
      'A: This was very useful.',
      'A: Please send us a proposal by Friday.',
    ]);
    expect(t.signals.rejection).toEqual([]);
    expect(t.signals.praise).toEqual(['This was very useful.']);
    expect(t).toMatchObject({ sentiment: 'positive' });
  });

  it('reads "complaints" as the business it names, "go ahead" as permission, "when it breaks" as a complaint', () => {
    const t = tone([
      "A: We'd need that for complaints.",
      'A: Yes, go ahead.',
      'A: The problem is that when it breaks, nobody picks up the phone.',
    ]);
    expect(t.signals.complaints.map((c) => c.text)).toEqual([
      'The problem is that when it breaks, nobody picks up the phone.',
    ]);
    expect(t.signals.buying).toEqual([]);
  });

  it('a buyer who says "not now" once but takes on the next steps is not low intent', () => {
    const t = tone([
      'A: Pricing? Not for now, thanks.',
      "A: I'll send the data dictionary by Friday.",
      "A: Could you send me a few slots and I'll check them with our architect?",
    ]);
    expect(t.intent).toBe('medium');
  });

  it('reads staying with the incumbent as the end, choosing a plan as buying', () => {
    expect(tone(["A: We've decided to stay with Orbe."]).signals.rejection).toHaveLength(1);
    expect(tone(['A: We decided to go with another vendor.']).signals.rejection).toHaveLength(1);
    expect(tone(['A: We decided to go with the annual plan.']).signals.rejection).toEqual([]);
  });

  it('reads staying with the seller as a renewal, and a condition only where one opens the clause', () => {
    expect(tone(["A: We've decided to stay with you for another three years."]).signals.rejection).toEqual(
      [],
    );
    expect(
      tone(["A: I don't know if you heard, but we've decided to stay with Orbe."]).signals.rejection,
    ).toHaveLength(1);
    expect(tone(["A: If I'm frank, the outages are unacceptable."]).signals.complaints).toHaveLength(1);
  });

  it('reads a price the buyer cannot defend as an objection', () => {
    const t = tone([
      'A: Price, unfortunately.',
      "A: That's a big gap to explain to the exec.",
      "A: I've got to get it past the exec first.",
    ]);
    expect(t.signals.complaints.map((c) => c.weight)).toEqual([1, 1, 1]);
  });

  it('complaints after an outage are negative; asking for the fix still engages', () => {
    const t = tone([
      'A: We were down for six hours on Monday.',
      "A: I'm frankly not happy with how support handled it.",
      'A: Could you send me the incident report by Friday?',
    ]);
    expect(t.signals.complaints.map((c) => c.weight)).toEqual([2, 2]);
    expect(t).toMatchObject({ sentiment: 'negative', intent: 'medium' });
  });

  it('keen users and a sceptical budget holder are mixed', () => {
    const t = tone([
      'A: Our users love the mobile app.',
      'A: The pilot team says it saves them hours every week.',
      'A: But our finance director is sceptical about the cost.',
      'A: And our budget was cut by twenty percent.',
    ]);
    expect(t.sentiment).toBe('mixed');
  });

  it('one objection among praise is part of a sale, not mixed', () => {
    const t = tone(['A: We really like the reporting.', 'A: It is a bit too expensive for us though.']);
    expect(t.sentiment).toBe('positive');
  });

  it('a polite no is neutral and low; a no after complaints is negative', () => {
    expect(
      tone(["A: It doesn't work for us, I'm afraid.", 'A: Thanks for being honest about the roadmap.']),
    ).toMatchObject({ sentiment: 'neutral', intent: 'low' });
    expect(
      tone([
        'A: After the billing error last month we decided to go with another provider.',
        "A: I'm disappointed, frankly.",
      ]),
    ).toMatchObject({ sentiment: 'negative', intent: 'low' });
  });

  it('asking for the contract and a start date is high intent', () => {
    const t = tone([
      'A: We want to move forward with you.',
      "A: Send over the contract and I'll get it signed this week.",
      'A: Can we start onboarding on the first?',
    ]);
    expect(t).toMatchObject({ sentiment: 'positive', intent: 'high' });
  });

  it('a buyer threatening to leave is low intent whatever else they ask for', () => {
    const t = tone([
      'A: Honestly we are leaning towards not renewing.',
      'A: Send me the renewal quote anyway.',
    ]);
    expect(t.intent).toBe('low');
  });

  it('a check-in with a next meeting and no buying signal is medium', () => {
    const t = tone([
      "A: It's going fine so far.",
      'A: Let me check with the team and get back to you.',
      'A: Same time next week works.',
    ]);
    expect(t).toMatchObject({ sentiment: 'neutral', intent: 'medium' });
  });

  it('without cues, wink-nlp’s sentence sentiment decides, courtesy left out', () => {
    expect(tone(['A: We moved the records to the new region on Tuesday.'], 0.6).sentiment).toBe('positive');
    expect(tone(['A: We moved the records to the new region on Tuesday.'], -0.6).sentiment).toBe('negative');
    expect(tone(['A: Thanks so much!'], 0.9).signals.mood).toBe(0);
  });

  it('a buyer who asks how to roll out and takes on the work is high intent', () => {
    const t = tone([
      'A: How long does the implementation usually take?',
      "A: I'll send you our current field mapping today.",
      "A: We'll set up the sandbox accounts on our side.",
      'A: Thursday at ten works for the workshop.',
    ]);
    expect(t.intent).toBe('high');
  });

  it('staying with the current vendor ends it, however politely: negative; finding it does not fit is neutral', () => {
    // The labelling conventions (and eight fitted meetings of the later authors) read a decision
    // against as negative; f08, by an early author, reads staying with the incumbent as neutral.
    const t = tone([
      'A: Your team has been lovely to deal with.',
      "A: But we'll stick with our current provider for now.",
    ]);
    expect(t).toMatchObject({ sentiment: 'negative', intent: 'low' });
    for (const line of [
      'A: The contract has been awarded to another respondent.',
      "A: We've decided to build the dispatch module ourselves.",
      'A: So maybe it is better to close the trial now.',
      "A: We're going to stop the evaluation.",
    ])
      expect(tone(['A: Thank you so much, really.', line]).sentiment, line).toBe('negative');
    expect(tone(['A: Thank you so much.', "A: I'm afraid it doesn't work for us."]).sentiment).toBe(
      'neutral',
    );
  });

  it('one buyer keen and another objecting is mixed; one person’s own objection is not', () => {
    const split = tone([
      'A(Ana): My team loves the scheduling view.',
      'A(Raj): From the finance side the cost is a concern about this year.',
    ]);
    expect(split.signals.divided).toBe(true);
    expect(split.sentiment).toBe('mixed');
    const same = tone([
      'A(Ana): My team loves the scheduling view.',
      'A(Ana): The cost is a concern about this year.',
    ]);
    expect(same.sentiment).toBe('positive');
  });

  it('a doubter who calls something the blocker and is not there yet makes a keen side mixed', () => {
    const t = tone([
      'A(Sharon): My team would love this, it looks great.',
      "A(Gareth): Usually. That's the word that worries me.",
      'A(Gareth): For me that plan is the blocker.',
      "A(Gareth): I'll be happier with the plan. I'm not there yet.",
    ]);
    expect(t.signals.complaints).toHaveLength(3);
    expect(t.sentiment).toBe('mixed');
  });

  it('"at some point" about a task is no purchase put off; needing the quote is a buying signal', () => {
    const t = tone([
      "A: No rush on that one, but I'll need it in writing at some point.",
      'A: We want to do the whole thing, both sites.',
      'A: I need a formal quote I can put in front of the board.',
    ]);
    expect(t.signals.deferral).toEqual([]);
    expect(t.signals.buying).toHaveLength(2);
    expect(t.intent).toBe('high');
  });

  it('"not sure that fits within our budget" is no buying signal; "nothing about it worries me" no objection', () => {
    const t = tone([
      "A: I'm not sure that fits within our budget.",
      'A: Honestly, nothing about it worries me.',
    ]);
    expect(t.signals.buying).toEqual([]);
    expect(t.signals.complaints).toEqual([]);
  });

  it('praise with nothing asked for or taken on is courtesy: neutral; one step taken makes it positive', () => {
    const courteous = tone([
      'A: Lovely to see you again, and the demo was excellent.',
      'A: The presentation was really impressive.',
      'A: Well, thank you for your time today.',
    ]);
    expect(courteous.signals.praise.length).toBeGreaterThan(0);
    expect(courteous).toMatchObject({ sentiment: 'neutral' });
    const keen = tone([
      'A: Lovely to see you again, and the demo was excellent.',
      "A: I'll send you our user list by Friday.",
    ]);
    expect(keen.signals.engagement.length).toBeGreaterThan(0);
    expect(keen).toMatchObject({ sentiment: 'positive' });
  });

  it('plain words for yes are buying signals; the buyer\'s own customers angry are no complaint; "it works" is no date agreed', () => {
    expect(
      tone([
        'A: Send me something I can sign.',
        'A: The price is accepted.',
        'A: We do a pilot.',
        'A: I sign Friday.',
      ]).signals.buying,
    ).toHaveLength(4);
    const pain = tone([
      'A: When a delivery is late the customer calls again, angry, and we lose the account.',
    ]);
    expect(pain.signals.complaints.filter((c) => c.weight === 2)).toEqual([]);
    expect(tone(['A: You were late again and I am angry.']).signals.complaints).toHaveLength(1);
    expect(tone(["A: It's old, but it works."]).signals.engagement).toEqual([]);
    expect(tone(['A: Tuesday works.']).signals.engagement).toHaveLength(1);
  });

  it('review cases: openers, conditions and half-agreements are no yes; a failure their customers suffered stays a complaint; praise of the product in a demo sentence stays praise', () => {
    for (const line of [
      "A: Great, let's get started.",
      'A: If we do a pilot, who pays for the hardware?',
      'A: Usually we do a pilot with every vendor.',
      "A: We're agreed on the problem, not on the solution.",
      'A: The price is accepted by finance if you drop the setup fee.',
      'A: Send me the NDA, something I can sign today.',
    ])
      expect(tone([line]).signals.buying, line).toEqual([]);
    for (const line of [
      'A: Since the outage last week our customers are furious.',
      'A: My team complained about the lag all week.',
    ])
      expect(tone([line]).sentiment, line).toBe('negative');
    for (const line of [
      'A: The demo was great and the route planning looks really good.',
      'A: You guys have nailed it, this is exactly what we need.',
    ])
      expect(tone([line]).sentiment, line).toBe('positive');
    expect(tone(['A: The PDF got attached twice to the ticket.']).signals.praise).toEqual([]);
  });

  it('users attached to it and a budget holder who will not fund it this year: mixed', () => {
    const t = tone([
      'A(Sara): When we tried it I honestly got a bit emotional.',
      'A(Sara): We would get very attached.',
      "A(Per): I'm not going to fund this this year.",
      'A(Per): Not this year.',
      'A(Per): Maybe next year.',
    ]);
    expect(t.sentiment).toBe('mixed');
  });

  it('a negated cue is not that cue', () => {
    const t = tone(['A: We have no concerns about security.', "A: I'm not excited about the timeline."]);
    expect(t.signals.complaints).toEqual([]);
    expect(t.signals.praise).toEqual([]);
  });

  it('a seller apologising for a failure confirms the buyer’s grievance', () => {
    const t = tone([
      'H: I apologise for the missed delivery last week.',
      'A: The second shipment was late too, and that is a concern about the launch.',
    ]);
    expect(t.signals.apologies).toHaveLength(1);
    expect(t.sentiment).toBe('negative');
    expect(
      tone(['A: The second shipment was late too, and that is a concern about the launch.']).sentiment,
    ).toBe('neutral');
  });
});
