/** ElectroDB service name: the prefix of every partition key (`$app#...`). */
export const SERVICE = 'app';
