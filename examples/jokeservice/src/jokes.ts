export interface Joke {
  id: number;
  setup: string;
  punchline: string;
}

/** The "builtin" JOKE_SOURCE: compiled in, so the service needs nothing else to answer. */
export const BUILTIN_JOKES: readonly Joke[] = [
  { id: 1, setup: 'Why did the pod break up with the node?', punchline: 'It needed more space, and the node kept evicting it.' },
  { id: 2, setup: 'How many Kubernetes engineers does it take to change a light bulb?', punchline: 'None: they declare it changed and wait for the reconciler.' },
  { id: 3, setup: 'Why was the container so calm?', punchline: 'It had excellent limits.' },
  { id: 4, setup: 'What did the Deployment say to the crashing ReplicaSet?', punchline: 'Back off, exponentially.' },
  { id: 5, setup: 'Why do GitOps engineers never lose arguments?', punchline: 'Git is the single source of truth, and they wrote the last commit.' },
  { id: 6, setup: 'Why did the liveness probe see a therapist?', punchline: 'Every time it asked "are you OK?", something got restarted.' },
  { id: 7, setup: 'What is an OOM killer\'s favourite diet?', punchline: 'Anything over the limit.' },
  { id: 8, setup: 'Why did the YAML file fail its exam?', punchline: 'Two spaces where it needed four: it could not indent its answers.' },
  { id: 9, setup: 'Why did the image tag 1.1.O never get pulled?', punchline: 'It was a zero-day typo.' },
  { id: 10, setup: 'What do you call a service that answers every request with a joke?', punchline: 'Highly available humour.' },
];

export function pickJoke(jokes: readonly Joke[], random: () => number): Joke {
  const joke = jokes[Math.floor(random() * jokes.length)];
  if (!joke) throw new Error('no jokes to tell');
  return joke;
}
