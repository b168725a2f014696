// Runs inside the Teams gallery page, after markdown-it and Microsoft's adaptivecards bundle were added to it:
// renders the card exactly as the notifier posts it, with the renderer's default host config. Anything the
// renderer reports while parsing or validating is logged as a console error, so the gallery test fails on it.
(() => {
  const message = JSON.parse(document.getElementById("card-json").textContent);
  const content = message.attachments[0].content;
  const card = new AdaptiveCards.AdaptiveCard();
  const context = new AdaptiveCards.SerializationContext();
  card.parse(content, context);
  for (let index = 0; index < context.eventCount; index++) {
    console.error(`Adaptive Card parse: ${context.getEventAt(index).message}`);
  }
  for (const event of card.validateProperties().validationEvents) {
    console.error(`Adaptive Card validation: ${event.message}`);
  }
  const rendered = card.render();
  if (!rendered) throw new Error("the Adaptive Cards renderer returned nothing");
  document.getElementById("card").appendChild(rendered);
})();
