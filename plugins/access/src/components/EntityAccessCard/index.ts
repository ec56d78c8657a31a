export { EntityAccessCard } from './EntityAccessCard';
export {
  isAccessRequestable,
  ACCESS_INTEGRATION_ANNOTATION,
  ACCESS_PERMISSIONS_ANNOTATION,
} from './isAccessRequestable';
