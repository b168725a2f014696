// Placeholder: the real wiring lands shortly (lead is writing it). Exists so `serverless package` can bundle.
export const handler = async (): Promise<void> => {};
