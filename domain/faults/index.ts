export * from './fault';
