import type { Page } from '../app/page';
import { setTitle } from '../app/page';
import { t } from '../i18n/i18n';
import { h, replace } from '../ui/dom';
import { lookupForm } from './consumer/lookup-form';

export const homePage: Page = async (root) => {
  setTitle('');
  const tile = (href: string, title: string, body: string) => h('a', { class: 'tile', href }, h('strong', null, title), h('span', null, body));
  replace(
    root,
    h('section', { class: 'hero' }, h('h1', null, t('home.title')), h('p', null, t('home.lead')), lookupForm('')),
    h(
      'section',
      { class: 'tiles' },
      tile('#/supervisor', t('nav.map'), t('home.supervisor')),
      tile('#/supervisor/search', t('nav.search'), t('home.search')),
      tile('#/audit', t('nav.audit'), t('home.audit')),
      tile('#/producer', t('nav.producer'), t('home.producer')),
      tile('#/producer/register', t('register.title'), t('home.register')),
    ),
  );
};
